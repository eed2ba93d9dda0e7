Feature: exampleshop's books agree with Amazon Pay's settlement report
  The shop's settlement job downloads the month's settlement report and checks every order in it
  against the captures and refunds the shop booked (its settlement_checks table); the report the
  shop downloaded lists what Seller Central lists.

  @reports @refund
  Scenario: The January settlement report lists the order's capture and refund, and the shop's books agree
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And the merchant refunds 1,000 JPY of order A
    And 30 days pass
    When the merchant downloads the settlement report for January
    Then the settlement report lists a capture of 5,000 JPY and a refund of 1,000 JPY for order A
    And the settlement report pays out 3,844 JPY
