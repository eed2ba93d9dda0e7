Feature: Lost answers — Amazon did what the shop asked, and the answer never arrived
  A connection can drop after Amazon Pay did a request. The shop must not do it a second time under
  a new idempotency key, and its reconciliation job finds out what happened (docs/explore.md).

  @reconcile
  Scenario: A capture whose answer was lost is found captured by the reconciliation job
    Given the buyer checked out the order of 5,000 JPY
    And Amazon's answer to the merchant's next capture is lost
    When the merchant captures the order
    Then the Charge of the order is Captured
    And the merchant's records agree with Amazon
    When the merchant's reconciliation job runs
    Then the merchant's record of the order is captured
    And the merchant's records are up to date with Amazon
