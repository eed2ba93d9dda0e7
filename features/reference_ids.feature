Feature: Amazon Reference ID — which id identifies a row
  A OneTime checkout is one row, identified by its chargePermissionId. A Recurring checkout is one
  row per Charge, identified by its chargeId; each row follows its own Charge: uncaptured Open,
  captured Closed, canceled or declined Canceled (decision D-RECURRING-ROWS).

  Rule: OneTime — one row per Charge Permission, identified by the chargePermissionId

    Scenario: A OneTime order is one row, however many charges it has
      Given the buyer checked out the order of 5,000 JPY
      When the merchant captures 2,000 JPY of the order
      And the merchant captures 3,000 JPY of the order
      Then the order has 2 charges
      And the Amazon Reference ID of the order is its chargePermissionId
      And Seller Central shows the order as Closed
      And Seller Central shows the order with 5,000 JPY captured

    Scenario: Two OneTime orders are two rows
      Given the buyer checked out order A of 5,000 JPY
      And the buyer checked out order B of 3,000 JPY
      When the merchant captures order B
      Then the Amazon Reference ID of order A is its chargePermissionId
      And the Amazon Reference ID of order B is its chargePermissionId
      And Seller Central shows order A as Open
      And Seller Central shows order B as Closed

  Rule: Recurring — one row per Charge, identified by the chargeId

    @cancel @charge @recurring
    Scenario: Each recurring charge is a row of its own that follows its Charge
      Given the buyer checked out the order of 1,000 JPY with recurring
      When the merchant captures the order
      And 30 days pass
      And the merchant charges 1,000 JPY on the order
      Then Seller Central shows 2 rows for the order, one per chargeId
      And the Amazon Reference ID of charge 1 of the order is its chargeId
      And the Amazon Reference ID of charge 2 of the order is its chargeId
      And Seller Central shows charge 1 of the order as Closed
      And Seller Central shows charge 2 of the order as Open
      When the merchant cancels the authorization of the order
      Then Seller Central shows charge 2 of the order as Canceled
      And Seller Central shows charge 1 of the order as Closed

    @recurring
    Scenario: A recurring charge that is never captured is Canceled when its authorization expires
      Given the buyer checked out the order of 1,000 JPY with recurring
      When 30 days pass
      Then Seller Central shows 1 rows for the order, one per chargeId
      And Seller Central shows charge 1 of the order as Canceled

    @charge @decline @recurring
    Scenario: A declined recurring charge is a Canceled row
      Given the buyer checked out the order of 1,000 JPY with recurring
      And the merchant captures the order
      And Amazon declines the next authorization of the order with SoftDeclined
      When the merchant charges 1,000 JPY on the order
      Then the merchant received the error SoftDeclined
      And Seller Central shows charge 2 of the order as Canceled

    @charge @close @recurring
    Scenario: Every uncaptured row of a closed recurring permission shows Closed
      Given the buyer checked out the order of 1,000 JPY with recurring
      And the merchant captures the order
      And the merchant charges 1,000 JPY on the order
      When the merchant closes the order
      Then Seller Central shows charge 1 of the order as Closed
      And Seller Central shows charge 2 of the order as Closed
      And the Charge of the order is Authorized
