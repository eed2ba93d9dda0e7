Feature: Open — the payment is not finished yet
  Seller Central shows a transaction as Open while its Charge is authorized and not captured
  (Open 1), and while the buyer has paid on Amazon's page but never came back to the shop, until
  Amazon Pay cancels it 24 hours after the checkout started (Open 2). A shop that notices the
  abandoned checkout in time can still complete it (recovery).

  Rule: Open 1 — a Charge exists but has not been captured

    Scenario Outline: An authorized order is Open, whichever test card paid for it
      Given the merchant starts a checkout for the order of 5,000 JPY
      When the buyer pays with the card ending in <card>
      And the buyer returns to the shop
      Then Seller Central shows the order as Open
      And the Charge of the order is Authorized
      And Seller Central shows the order with 5,000 JPY authorized and 0 JPY captured
      And the merchant's record of the order is authorized
      And the merchant's record of the order holds Amazon's ids

      Examples:
        | card |
        | 1111 |
        | 0005 |
        | 4444 |
        | 9424 |
        | 0000 |

    @pending @reconcile
    Scenario: A pending authorization is Open before and after Amazon approves it
      Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
      When the buyer pays with the card ending in 0701
      And the buyer returns to the shop
      Then Seller Central shows the order as Open
      And the Charge of the order is AuthorizationInitiated
      And the merchant's record of the order is authorizing
      When 30 seconds pass
      Then the Charge of the order is Authorized
      And Seller Central shows the order as Open
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is authorized

    @pending
    Scenario: Amazon may approve a pending authorization before the 30 seconds are over
      Given the merchant starts a checkout for the order of 5,000 JPY with canHandlePendingAuthorization
      And the buyer pays with the card ending in 0701
      And the buyer returns to the shop
      When Amazon approves the pending authorization of the order
      Then the Charge of the order is Authorized
      And Seller Central shows the order as Open

    Scenario: An authorized order stays Open until the merchant captures it
      Given the buyer checked out the order of 5,000 JPY
      When 6 days pass
      Then Seller Central shows the order as Open
      When the merchant captures the order
      Then Seller Central shows the order as Closed
      And the merchant's record of the order is captured

  Rule: Open 2 — the buyer paid on Amazon's page and never came back to the shop

    Scenario Outline: A dropped-off <intent> checkout is Open at 23:59:59 and Canceled at 24:00:00
      Given the merchant starts a checkout for the order of 5,000 JPY with payment intent <intent>
      And the buyer pays
      When the buyer drops off before returning to the shop
      Then Seller Central shows the order as Open
      And the merchant's record of the order is pending
      When it is 23:59:59 after the checkout started
      Then Seller Central shows the order as Open
      When it is 24:00:00 after the checkout started
      Then Seller Central shows the order as Canceled
      And the Checkout Session of the order is Canceled with reason Expired
      And the Charge Permission of the order is Closed with reason AmazonCanceled
      And Seller Central shows the transaction view

      Examples:
        | intent               |
        | Authorize            |
        | AuthorizeWithCapture |
        | Confirm              |

    Scenario: Seller Central shows an authorization the shop has no order for
      Given the merchant starts a checkout for the order of 5,000 JPY
      When the buyer pays
      And the buyer drops off before returning to the shop
      Then Seller Central shows the order as Open
      And Seller Central shows the order with 5,000 JPY authorized
      And the merchant's record of the order is pending

    Scenario: The deadline counts from the start of the checkout, not from the payment
      Given the merchant starts a checkout for the order of 5,000 JPY
      And 10 hours pass
      And the buyer pays
      And the buyer drops off before returning to the shop
      When it is 23 hours 59 minutes 59 seconds after the checkout started
      Then Seller Central shows the order as Open
      When 1 second passes
      Then Seller Central shows the order as Canceled

    Scenario: A checkout started at 23:30 JST on the month's last day is canceled at 23:30 the next day
      Given it is 2026-01-31 23:30 JST
      And the merchant starts a checkout for the order of 5,000 JPY
      And the buyer pays
      And the buyer drops off before returning to the shop
      Then Seller Central shows the order created at 2026-01-31 23:30 JST
      And Seller Central shows the order bought by 山田 太郎
      When it is 1 second before 24 hours after the checkout started
      Then Seller Central shows the order as Open
      When it is 24 hours minus 0 seconds after the checkout started
      Then Seller Central shows the order as Canceled

    Scenario: A buyer who comes back at 24:00:00 is too late
      Given the merchant starts a checkout for the order of 5,000 JPY
      And the buyer pays
      When it is 24 hours after the checkout started
      And the buyer returns to the shop
      Then the merchant received the error InvalidCheckoutSessionStatus
      And the merchant's record of the order is failed
      And Seller Central shows the order as Canceled

  Rule: Recovery — the shop's reconciliation job completes the checkout before the deadline

    @reconcile
    Scenario Outline: Reconciliation <late> after the checkout started recovers the order
      Given the merchant starts a checkout for the order of 5,000 JPY
      And the buyer pays
      And the buyer drops off before returning to the shop
      When it is <late> after the checkout started
      And the merchant's reconciliation job runs
      Then the merchant's record of the order is authorized
      And the merchant's record of the order holds Amazon's ids
      And the Checkout Session of the order is Completed
      When 24 hours pass
      Then Seller Central shows the order as Open
      When the merchant captures the order
      Then Seller Central shows the order as Closed

      Examples:
        | late      |
        | 5 minutes |
        | 23:59:59  |

    @reconcile
    Scenario: Reconciliation at 24:00:00 finds the checkout canceled
      Given the merchant starts a checkout for the order of 5,000 JPY
      And the buyer pays
      And the buyer drops off before returning to the shop
      When it is 24:00:00 after the checkout started
      And the merchant's reconciliation job runs
      Then the merchant's record of the order is failed
      And the merchant received no error
      And Seller Central shows the order as Canceled
