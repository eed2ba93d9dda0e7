Feature: Suspended — the payment method needs the buyer
  Seller Central shows a transaction as Suspended while its Charge Permission is NonChargeable:
  further charges need the buyer to update the payment method. Once the buyer does, it is Open
  again. (The guide gives no example; this is the project's decision D-SUSPENDED.)

  @charge @decline @payment-method
  Scenario: A hard decline suspends the transaction until the buyer updates the payment method
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    And Amazon declines the next authorization of the order with HardDeclined
    When the merchant charges 5,000 JPY on the order
    Then the merchant received the error HardDeclined
    And Seller Central shows the order as Suspended
    And the Charge Permission of the order is NonChargeable with reason PaymentMethodInvalid
    When the buyer updates the payment method to the card ending in 0005
    Then Seller Central shows the order as Open
    And the Charge Permission of the order is Chargeable without a reason
    When the merchant charges 5,000 JPY on the order
    Then the merchant's record of the order is authorized

  @charge @decline
  Scenario Outline: Only a hard decline suspends: <reason> leaves the transaction <status>
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    And Amazon declines the next authorization of the order with <reason>
    When the merchant charges 5,000 JPY on the order
    Then the merchant received the error <reason>
    And the Charge of the order is Declined with reason <reason>
    And Seller Central shows the order as <status>

    Examples:
      | reason              | status    |
      | HardDeclined        | Suspended |
      | SoftDeclined        | Open      |
      | ProcessingFailure   | Open      |
      | TransactionTimedOut | Open      |
      | AmazonRejected      | Closed    |

  @payment-method
  Scenario Outline: A payment method that became <how> suspends the transaction
    Given the buyer checked out the order of 5,000 JPY
    When Amazon marks the payment method of the order as <how>
    Then Seller Central shows the order as Suspended
    And the Charge Permission of the order is NonChargeable with reason <reason>
    When the buyer updates the payment method
    Then Seller Central shows the order as Open

    Examples:
      | how     | reason               |
      | invalid | PaymentMethodInvalid |
      | expired | PaymentMethodExpired |

  @pending
  Scenario: A pending authorization that ends in a hard decline suspends it 30 seconds later
    Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
    And the buyer pays with the card ending in 4354
    And the buyer returns to the shop
    Then Seller Central shows the order as Open
    When 30 seconds pass
    Then the Charge of the order is Declined with reason HardDeclined
    And Seller Central shows the order as Suspended

  @pending
  Scenario: Amazon may decline a pending authorization at once
    Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
    And the buyer pays with the card ending in 0701
    And the buyer returns to the shop
    When Amazon declines the pending authorization of the order with HardDeclined
    Then the Charge of the order is Declined with reason HardDeclined
    And Seller Central shows the order as Suspended

  @close @payment-method
  Scenario: A suspended transaction can still be closed
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    And Amazon marks the payment method of the order as invalid
    When the merchant closes the order
    Then Seller Central shows the order as Closed
