Feature: Reports — the settlement report lists what happened, for the shop's accounting
  Amazon Pay's settlement report lists every authorization, capture and refund of its range, with
  the fees and the net amount paid out (docs/reports.md). A shop that imports it into its books
  downloads it like this; in Sandbox it exists only when the shop asks for it.

  @reports @refund
  Scenario: The January settlement report lists a capture and a refund of the order
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And the merchant refunds 1,000 JPY of order A
    And 30 days pass
    When the merchant downloads the settlement report for January
    Then the settlement report lists a capture of 5,000 JPY and a refund of 1,000 JPY for order A
    And the settlement report pays out 3,844 JPY

  @reports
  Scenario: An order paid in February is not in January's settlement report
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And 30 days pass
    And the buyer checked out order B of 2,000 JPY
    And the merchant captures order B
    And 30 days pass
    When the merchant downloads the settlement report for January
    Then the settlement report lists a capture of 5,000 JPY for order A
    And the settlement report lists nothing for order B
    When the merchant downloads the settlement report for February 2026
    Then the settlement report lists a capture of 2,000 JPY for order B
    And the settlement report lists nothing for order A

  @reports @refund
  Scenario: A refund is in the settlement report of the month it was refunded in
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And 30 days pass
    When the merchant refunds 1,000 JPY of order A
    And 30 days pass
    And the merchant downloads the settlement report for February
    Then the settlement report lists a refund of 1,000 JPY for order A
