@button
Feature: The standard checkout, with Amazon Pay's button
  Most Japanese shops start the checkout with Amazon Pay's button: the shop renders it with a signed
  payload, the buyer's click makes Amazon create the Checkout Session, and the buyer signs in and
  comes back to the shop's review page. There the shop reads the buyer's shipping address, adds
  shipping by prefecture, updates the session with the amount and its result page, and sends the
  buyer on to Amazon to pay. Amazon refuses a button whose signature does not verify.

  Scenario: A checkout through the button and the review page is Open once the buyer paid
    Given the buyer clicks Amazon Pay's button for order A of 5,000 JPY
    When the buyer pays
    And the buyer returns to the shop
    Then Seller Central shows order A as Open
    And Seller Central shows order A with 5,000 JPY authorized and 0 JPY captured
    And the merchant's record of order A is authorized
    And the merchant's record of order A holds Amazon's ids

  Scenario Outline: The review page adds the shipping to <prefecture> before the buyer pays
    Given the buyer's shipping address is in <prefecture>
    When the buyer clicks Amazon Pay's button for the order of 5,000 JPY
    And the buyer pays
    And the buyer returns to the shop
    Then Seller Central shows the order with <total> authorized and 0 JPY captured
    And the merchant received no error

    Examples:
      | prefecture | total     |
      | 東京都     | 5,000 JPY |
      | 北海道     | 6,000 JPY |
      | 沖縄県     | 6,500 JPY |

  Scenario: A buyer who clicked the button and dropped off is Canceled 24 hours after the click
    Given the buyer clicks Amazon Pay's button for the order of 5,000 JPY
    And the buyer pays
    When the buyer drops off before returning to the shop
    And it is 23:59:59 after the checkout started
    Then Seller Central shows the order as Open
    When it is 24 hours after the checkout started
    Then Seller Central shows the order as Canceled

  Scenario: The shop captures an order that came through the button with its shipping
    Given the buyer's shipping address is in 北海道
    And the buyer clicks Amazon Pay's button for the order of 5,000 JPY
    And the buyer pays
    And the buyer returns to the shop
    When the merchant captures the order
    Then Seller Central shows the order as Closed
    And Seller Central shows the order with 6,000 JPY authorized and 6,000 JPY captured
