@notifications
Feature: Instant Payment Notifications (IPN) reach the shop and keep its records right
  Amazon Pay posts a signed notification for every state change of a Charge Permission, Charge or
  Refund (docs/notifications.md). The shop verifies it, reads the object again and updates its
  order; a delivery the shop does not acknowledge is retried an hour later.

  @pending
  Scenario: A pending authorization resolved by Amazon reaches the shop only by IPN
    Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
    And the buyer pays with the card ending in 0701
    And the buyer returns to the shop
    Then the merchant's record of the order is authorizing
    When 30 seconds pass
    Then the Charge of the order is Authorized
    And the merchant received a CHARGE notification for the order
    And the merchant's record of the order is authorized
    And the merchant answered 200 to every notification

  @pending
  Scenario: A delivery the shop missed is retried an hour later, not a second earlier
    Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
    And the buyer pays with the card ending in 0701
    And the buyer returns to the shop
    And the shop's notification endpoint is down
    When 30 seconds pass
    Then the merchant's record of the order is authorizing
    When the shop's notification endpoint is back up
    And 59 minutes 59 seconds pass
    Then the merchant's record of the order is authorizing
    When 1 second passes
    Then the merchant's record of the order is authorized
    And the merchant received 2 CHARGE notifications for the order

  Scenario: Notifications delivered twice and out of order leave the shop's record right
    Given Amazon Pay delivers notifications twice
    And Amazon Pay delivers notifications out of order
    And the buyer checked out the order of 5,000 JPY
    When the merchant captures the order
    Then the merchant's record of the order is captured
    And the merchant received 4 CHARGE notifications for the order
    And the merchant answered 200 to every notification
    And Seller Central shows the order as Closed
