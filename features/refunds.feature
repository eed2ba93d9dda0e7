Feature: Refunds — from the shop or from Seller Central, within Amazon Pay's limits
  A captured Charge can be refunded at most 10 times, and the refunds together may exceed the
  captured amount by min(15 %, 8,400 JPY). Refunds are asynchronous: RefundInitiated, then
  Refunded. Seller Central's refunds follow the same limits.

  @refund
  Scenario: A partial refund is initiated, then refunded
    Given the buyer checked out the order of 5,000 JPY
    And the merchant captures the order
    When the merchant refunds 2,000 JPY of the order
    Then the Refund of the order is RefundInitiated
    And the merchant's record of the order is refunded
    When 30 seconds pass
    Then the Refund of the order is Refunded
    And Seller Central shows the order with 5,000 JPY captured and 2,000 JPY refunded
    And Seller Central shows the order as Closed

  @refund
  Scenario: An order that is not captured cannot be refunded
    Given the buyer checked out the order of 5,000 JPY
    When the merchant refunds 1,000 JPY of the order
    Then the merchant received the error InvalidChargeStatus

  Rule: At most 10 refunds per Charge

    @refund
    Scenario: The eleventh refund is refused
      Given the buyer checked out the order of 5,000 JPY
      And the merchant captures the order
      When the merchant refunds 100 JPY of the order 10 times
      Then the merchant received no error
      When the merchant refunds 100 JPY of the order
      Then the merchant received the error TransactionCountExceeded
      When 30 seconds pass
      Then Seller Central shows the order with 1,000 JPY refunded

    @operator
    Scenario: Seller Central refuses the eleventh refund too
      Given the buyer checked out the order of 5,000 JPY
      And the merchant captures the order
      When the operator refunds 100 JPY of the order in Seller Central 10 times
      And the operator refunds 100 JPY of the order in Seller Central
      Then Seller Central refuses the action with TransactionCountExceeded

  Rule: Refunds may exceed the capture by min(15 %, 8,400 JPY)

    @refund
    Scenario Outline: <captured> captured may be refunded up to <limit>
      Given the buyer checked out the order of <captured>
      And the merchant captures the order
      When the merchant refunds <limit> of the order
      Then the merchant received no error
      When the merchant refunds 1 JPY of the order
      Then the merchant received the error TransactionAmountExceeded

      Examples:
        | captured    | limit       |
        | 10,000 JPY  | 11,500 JPY  |
        | 56,000 JPY  | 64,400 JPY  |
        | 100,000 JPY | 108,400 JPY |

    @operator
    Scenario Outline: Seller Central allows <limit> on <captured> and not a yen more
      Given the buyer checked out the order of <captured>
      And the merchant captures the order
      When the operator refunds <over> of the order in Seller Central
      Then Seller Central refuses the action with TransactionAmountExceeded
      When the operator refunds <limit> of the order in Seller Central
      Then the Refund of the order is RefundInitiated

      Examples:
        | captured    | limit       | over        |
        | 10,000 JPY  | 11,500 JPY  | 11,501 JPY  |
        | 100,000 JPY | 108,400 JPY | 108,401 JPY |
