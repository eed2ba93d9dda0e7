Feature: exampleshop's orders agree with Seller Central
  Each scenario checks the shop's own database (its order record, read back by its adapter) and
  Seller Central's transaction view after the same events.

  @reconcile
  Scenario: A buyer who drops off leaves an order that fails when Amazon cancels it after 24 hours
    Given the merchant starts a checkout for the order of 5,000 JPY
    And the buyer pays
    When the buyer drops off before returning to the shop
    And the merchant's reconciliation job runs
    Then the merchant's record of the order is pending
    And Seller Central shows the order as Open
    When 24 hours pass
    And the merchant's reconciliation job runs
    Then Seller Central shows the order as Canceled
    And the merchant's record of the order is failed

  @button
  Scenario: Through the button, the review page adds the shipping to 沖縄県 and the shop ships it all
    Given the buyer's shipping address is in 沖縄県
    When the buyer clicks Amazon Pay's button for the order of 5,000 JPY
    And the buyer pays
    And the buyer returns to the shop
    Then Seller Central shows the order with 6,500 JPY authorized and 0 JPY captured
    And the merchant's record of the order is authorized
    And the merchant's record of the order holds Amazon's ids
    When the merchant captures the order
    Then Seller Central shows the order with 6,500 JPY captured
    And Seller Central shows the order as Closed
    And the merchant's record of the order is captured

  Scenario: A partial shipment captures part of the authorization
    Given the buyer checked out the order of 5,000 JPY
    When the merchant captures 2,000 JPY of the order
    Then the merchant's record of the order is captured
    And the merchant's record of the order holds Amazon's ids
    And Seller Central shows the order with 5,000 JPY authorized and 2,000 JPY captured
    And Seller Central shows the order as Open

  @refund
  Scenario: A refund after shipment
    Given the buyer checked out the order of 5,000 JPY
    And the merchant captures the order
    When the merchant refunds 1,500 JPY of the order
    Then the merchant's record of the order is refunded
    And the merchant received no error
    When 30 seconds pass
    Then Seller Central shows the order with 5,000 JPY captured and 1,500 JPY refunded

  @fraud @reconcile
  Scenario: A fraud close holds the order for review instead of filing it as abandoned
    Given the buyer checked out the order of 5,000 JPY
    When Amazon closes the order as fraudulent
    And the merchant's reconciliation job runs
    Then Seller Central shows the order as Closed
    And the merchant's record of the order is canceled
    And the merchant flagged the order for fraud review

  @reconcile
  Scenario: An agreement never charged expires after 180 days and the order is closed
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    Then the merchant's record of the order is confirmed
    When it is 180 days after the buyer paid
    And the merchant's reconciliation job runs
    Then Seller Central shows the order as Closed
    And the merchant's record of the order is closed

  @charge @decline @payment-method
  Scenario: A hard decline suspends the order and the buyer is asked to update the payment method
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    And Amazon declines the next authorization of the order with HardDeclined
    When the merchant charges 5,000 JPY on the order
    Then the merchant received the error HardDeclined
    And Seller Central shows the order as Suspended
    And the merchant flagged the order for payment method update
    When the buyer updates the payment method to the card ending in 0005
    And the merchant's reconciliation job runs
    Then Seller Central shows the order as Open
    When the merchant charges 5,000 JPY on the order
    Then the merchant's record of the order is authorized

  @notifications @pending
  Scenario: A pending authorization is resolved by its IPN, with no job running
    Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
    And the buyer pays with the card ending in 0701
    And the buyer returns to the shop
    Then the merchant's record of the order is authorizing
    And Seller Central shows the order as Open
    When 30 seconds pass
    Then the merchant received a CHARGE notification for the order
    And the merchant's record of the order is authorized
    And the merchant answered 200 to every notification

  @notifications @fraud
  Scenario: The IPN of a fraud close puts the order on hold at once, delivered twice or not
    Given Amazon Pay delivers notifications twice
    And the buyer checked out the order of 5,000 JPY
    When Amazon closes the order as fraudulent
    Then the merchant received a CHARGE_PERMISSION notification for the order
    And the merchant flagged the order for fraud review
    And the merchant's record of the order is canceled
    And Seller Central shows the order as Closed
