Feature: Closed — the payment is over
  Seller Central shows a transaction as Closed once its Charge Permission is closed: captured in full
  (Closed 1), closed by the merchant through the API (Closed 2), closed by an operator in Seller
  Central (Closed 3), closed by Amazon as fraudulent (Closed 4), or expired (Closed 5).

  Rule: Closed 1 — the Charge was captured

    Scenario: Capturing the whole amount closes the transaction
      Given the buyer checked out the order of 5,000 JPY
      When the merchant captures the order
      Then Seller Central shows the order as Closed
      And Seller Central shows the order with 5,000 JPY captured
      And the Charge Permission of the order is Closed with reason AmazonClosed
      And the merchant's record of the order is captured

    Scenario Outline: A partial capture of <captured> leaves the transaction Open
      Given the buyer checked out the order of 5,000 JPY
      When the merchant captures <captured> of the order
      Then Seller Central shows the order as Open
      And Seller Central shows the order with <captured> captured

      Examples:
        | captured  |
        | 1 JPY     |
        | 2,500 JPY |
        | 4,999 JPY |

    Scenario: AuthorizeWithCapture closes the transaction when the buyer comes back
      Given the buyer checked out the order of 5,000 JPY with payment intent AuthorizeWithCapture
      Then Seller Central shows the order as Closed
      And the merchant's record of the order is captured

    @total-order-amount
    Scenario: With a total order amount the transaction closes once the order total is captured
      Given the buyer checked out the order of 3,000 JPY with a total order amount of 5,000 JPY
      When the merchant captures the order
      Then Seller Central shows the order as Open
      When the merchant captures 2,000 JPY of the order
      Then Seller Central shows the order as Closed

    @overcharge
    Scenario Outline: With allowOvercharge a <order> order closes only at its ceiling of <ceiling>
      Given the buyer checked out the order of <order> with allowOvercharge
      When the merchant captures the order
      Then Seller Central shows the order as Open
      When the merchant captures <more> of the order
      Then Seller Central shows the order as <status>
      And Seller Central shows the order with <captured> captured

      Examples: one yen short of the ceiling
        | order      | ceiling    | more       | captured   | status |
        | 5,000 JPY  | 70,000 JPY | 64,999 JPY | 69,999 JPY | Open   |
        | 10,000 JPY | 90,000 JPY | 79,999 JPY | 89,999 JPY | Open   |

      Examples: the ceiling, max(900 % of the order, 70,000 JPY)
        | order      | ceiling    | more       | captured   | status |
        | 5,000 JPY  | 70,000 JPY | 65,000 JPY | 70,000 JPY | Closed |
        | 10,000 JPY | 90,000 JPY | 80,000 JPY | 90,000 JPY | Closed |

  Rule: Closed 2 — the merchant called Close Charge Permission

    @close
    Scenario: The merchant closes an authorized order
      Given the buyer checked out the order of 5,000 JPY
      When the merchant closes the order
      Then Seller Central shows the order as Closed
      And the Charge Permission of the order is Closed with reason MerchantClosed
      And Seller Central shows the order with 0 JPY captured
      And the merchant's record of the order is closed

    @close
    Scenario: The merchant closes an order after a partial capture, which stays captured
      Given the buyer checked out the order of 5,000 JPY
      And the merchant captures 3,000 JPY of the order
      When the merchant closes the order
      Then Seller Central shows the order as Closed
      And the Charge Permission of the order is Closed with reason MerchantClosed
      And Seller Central shows the order with 3,000 JPY captured

  Rule: Closed 3 — an operator closed the payment in Seller Central (終了したお支払い)

    @operator
    Scenario: The operator closes an authorized order
      Given the buyer checked out the order of 5,000 JPY
      When the operator closes the order in Seller Central
      Then Seller Central shows the order as Closed
      And the Charge Permission of the order is Closed with reason MerchantClosed
      And the Charge of the order is Authorized

  Rule: Closed 4 — Amazon closed the payment as fraudulent

    @fraud @reconcile
    Scenario: A fraud close shows Closed, though the API reads like an abandoned checkout
      Given the buyer checked out the order of 5,000 JPY
      When Amazon closes the order as fraudulent
      Then Seller Central shows the order as Closed
      And the Charge Permission of the order is Closed with reason AmazonCanceled
      And the Charge of the order is Canceled with reason AmazonCanceled
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is canceled

    @fraud @reconcile
    Scenario: A dropped-off Confirm checkout closed as fraudulent is closed after one reconciliation
      Found by harness explore: the job completed the checkout and stopped at "confirmed". The hour
      lets a job that leaves a checkout alone for its first minutes (the buyer may still be paying) see it.
      Given the merchant starts a checkout for the order of 5,000 JPY with payment intent Confirm
      And the buyer pays
      And the buyer drops off before returning to the shop
      When Amazon closes the order as fraudulent
      And 1 hour passes
      And the merchant's reconciliation job runs
      Then the merchant's record of the order is closed
      And the merchant's records are up to date with Amazon

  Rule: Closed 5 — the Charge Permission expired

    Scenario: A OneTime transaction closes 180 days after the buyer paid
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
      When it is 179 days 23 hours 59 minutes 59 seconds after the buyer paid
      Then Seller Central shows the order as Open
      When it is 180 days after the buyer paid
      Then Seller Central shows the order as Closed
      And the Charge Permission of the order is Closed with reason Expired

    @charge
    Scenario: An authorization still open at the expiry is canceled with it
      Given the buyer checked out the order of 5,000 JPY
      And 150 days pass
      And the merchant charges 1,000 JPY on the order
      When it is 180 days after the buyer paid
      Then Seller Central shows the order as Closed
      And the Charge of the order is Canceled with reason ChargePermissionCanceled

    # The buyer pays on 2026-01-05 (UTC); 13 months later is 2027-02-05, 396 days later.
    Scenario Outline: With <option> the transaction lasts 13 months, not 180 days
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm and <option>
      When it is 180 days after the buyer paid
      Then the Charge Permission of the order is Chargeable
      When it is 395 days 23:59:59 after the buyer paid
      Then the Charge Permission of the order is Chargeable
      When it is 13 months after the buyer paid
      Then the Charge Permission of the order is Closed with reason Expired

      @extend-expiration
      Examples:
        | option           |
        | extendExpiration |

      @recurring
      Examples:
        | option           |
        | recurring        |

    @extend-expiration
    Scenario: With extendExpiration Seller Central shows Open until the 13 months are over
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm and extendExpiration
      When it is 395 days 23:59:59 after the buyer paid
      Then Seller Central shows the order as Open
      When it is 13 months after the buyer paid
      Then Seller Central shows the order as Closed
