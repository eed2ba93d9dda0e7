Feature: Canceled — the payment was called off
  Seller Central shows a transaction as Canceled when an operator canceled the payment in Seller
  Central (Canceled 1), or when the checkout was canceled because the shop never called Complete
  Checkout Session within 24 hours (Canceled 2).

  Rule: Canceled 1 — an operator canceled the payment in Seller Central (お支払いキャンセル)

    @operator @reconcile
    Scenario: The operator cancels an authorized order
      Given the buyer checked out the order of 5,000 JPY
      When the operator cancels the order in Seller Central
      Then Seller Central shows the order as Canceled
      And the Charge Permission of the order is Closed with reason MerchantCanceled
      And the Charge of the order is Canceled with reason ChargePermissionCanceled
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is canceled

    @operator
    Scenario: The operator cancels a partially captured order; the capture stays
      Given the buyer checked out the order of 5,000 JPY
      And the merchant captures 2,000 JPY of the order
      When the operator cancels the order in Seller Central
      Then Seller Central shows the order as Canceled
      And Seller Central shows the order with 2,000 JPY captured

    @operator
    Scenario: The operator cancels a confirmed order that has no Charge
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
      When the operator cancels the order in Seller Central
      Then Seller Central shows the order as Canceled
      And the order has 0 charges

    @operator @payment-method
    Scenario: The operator cancels a suspended order
      Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
      And Amazon marks the payment method of the order as invalid
      When the operator cancels the order in Seller Central
      Then Seller Central shows the order as Canceled

    @operator
    Scenario Outline: A transaction that is already <how> cannot be canceled
      Given the buyer checked out the order of 5,000 JPY
      And <ending>
      When the operator cancels the order in Seller Central
      Then Seller Central refuses the action with InvalidChargePermissionStatus
      And Seller Central shows the order as Closed

      Examples:
        | how                  | ending                                           |
        | captured in full     | the merchant captures the order                  |
        | expired              | it is 180 days after the buyer paid              |

      @close
      Examples:
        | how                  | ending                                           |
        | closed by the shop   | the merchant closes the order                    |

  Rule: Canceled 2 — Complete Checkout Session was never called within 24 hours

    @reconcile
    Scenario: The shop never completes the checkout: Canceled 24 hours after it started
      Given the merchant starts a checkout for the order of 5,000 JPY
      And the buyer pays
      And the buyer drops off before returning to the shop
      When 24 hours pass
      Then Seller Central shows the order as Canceled
      And the Charge of the order is Canceled with reason AmazonCanceled
      And the Charge Permission of the order is Closed with reason AmazonCanceled
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is failed

    @fraud
    Scenario: Canceled, not Closed: the same API reason as a fraud close shows differently
      Given the merchant starts a checkout for order A of 5,000 JPY
      And the buyer pays
      And the buyer drops off before returning to the shop
      And the buyer checked out order B of 5,000 JPY
      When Amazon closes order B as fraudulent
      And 24 hours pass
      Then the Charge Permission of order A is Closed with reason AmazonCanceled
      And the Charge Permission of order B is Closed with reason AmazonCanceled
      And Seller Central shows order A as Canceled
      And Seller Central shows order B as Closed

    @reconcile
    Scenario: A checkout the buyer canceled on Amazon's page leaves no transaction
      Given the merchant starts a checkout for the order of 5,000 JPY
      When the buyer cancels on Amazon's page
      Then Seller Central shows no transaction for the order
      And the Checkout Session of the order is Canceled with reason BuyerCanceled
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is failed

    @reconcile
    Scenario: A checkout the buyer never paid for leaves no transaction
      Given the merchant starts a checkout for the order of 5,000 JPY
      When 24 hours pass
      Then Seller Central shows no transaction for the order
      And the Checkout Session of the order is Canceled with reason Expired
      When the merchant's reconciliation job runs
      Then the merchant's record of the order is failed

    @reconcile
    Scenario: A checkout reconciled only after Amazon's 30-day retention is failed
      Found by harness explore: Get Checkout Session answers 404 once the session is 30 days old.
      Given the merchant starts a checkout for the order of 5,000 JPY
      When 30 days pass
      And the merchant's reconciliation job runs
      Then the merchant's record of the order is failed
      And the merchant's records are up to date with Amazon
