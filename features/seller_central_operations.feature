Feature: Operations in Seller Central — capture, cancel and close from the transaction view
  The operator can capture (売上請求), refund (返金), cancel (お支払いキャンセル) and close
  (終了したお支払い) from the transaction view. Capture captures the uncaptured Charge when one
  exists, and otherwise creates a new Charge and captures it in one step.

  Rule: Capture captures the uncaptured Charge if there is one

    @operator
    Scenario: The operator captures the authorized Charge
      Given the buyer checked out the order of 5,000 JPY
      When the operator captures the order in Seller Central
      Then the order has 1 charge
      And the Charge of the order is Captured
      And Seller Central shows the order as Closed
      And the merchant's record of the order holds Amazon's ids

    @operator
    Scenario: The operator captures part of the authorized Charge
      Given the buyer checked out the order of 5,000 JPY
      When the operator captures 2,000 JPY of the order in Seller Central
      Then the order has 1 charge
      And Seller Central shows the order with 2,000 JPY captured
      And Seller Central shows the order as Open

    @charge @operator
    Scenario: The operator captures the Charge the merchant created with Create Charge
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
      And the merchant charges 5,000 JPY on the order
      When the operator captures the order in Seller Central
      Then the order has 1 charge
      And Seller Central shows the order as Closed

  Rule: Without an uncaptured Charge, capture creates a new Charge and captures it

    @operator
    Scenario: A confirmed order without any Charge gets a new, captured Charge
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
      When the operator captures the order in Seller Central
      Then the order has 1 charge
      And the Charge of the order is Captured
      And Seller Central shows the order as Closed

    @operator
    Scenario: After the authorization expired, capture creates and captures a new Charge
      Given the buyer checked out the order of 5,000 JPY
      And 30 days pass
      When the operator captures the order in Seller Central
      Then the order has 2 charges
      And the Charge of the order is Captured
      And Seller Central shows the order as Closed

    @operator
    Scenario: After a partial capture, capture takes the balance on a new Charge
      Given the buyer checked out the order of 5,000 JPY
      And the merchant captures 2,000 JPY of the order
      When the operator captures the order in Seller Central
      Then the order has 2 charges
      And Seller Central shows the order with 5,000 JPY captured
      And Seller Central shows the order as Closed

  Rule: Cancel shows Canceled, close shows Closed

    @operator
    Scenario Outline: The operator <action> an authorized order
      Given the buyer checked out the order of 5,000 JPY
      When the operator <action> the order in Seller Central
      Then Seller Central shows the order as <status>
      And the Charge Permission of the order is Closed with reason <reason>

      Examples:
        | action  | status   | reason           |
        | cancels | Canceled | MerchantCanceled |
        | closes  | Closed   | MerchantClosed   |

    @operator
    Scenario: A transaction the operator closed cannot be captured any more
      Given the buyer checked out the order of 5,000 JPY
      And the operator closes the order in Seller Central
      When the operator captures the order in Seller Central
      Then Seller Central refuses the action with InvalidChargePermissionStatus
      When the merchant captures the order
      Then the merchant received the error InvalidChargePermissionStatus

    @operator
    Scenario Outline: A closed transaction cannot be <again> again
      Given the buyer checked out the order of 5,000 JPY
      And the operator closes the order in Seller Central
      When the operator <again> the order in Seller Central
      Then Seller Central refuses the action with InvalidChargePermissionStatus
      And Seller Central shows the order as Closed

      Examples:
        | again   |
        | cancels |
        | closes  |
