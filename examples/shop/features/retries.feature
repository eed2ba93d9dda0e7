Feature: exampleshop's retries and the monthly limit, against Amazon Pay's faults
  A call whose answer is lost is sent again under the same idempotency key, so Amazon answers it
  with the first result and the buyer pays once; a charge beyond the Recurring monthly limit is
  refused, kept on the order, and succeeds once the month turns in Japan time.

  @retry @recurring
  Scenario: A monthly charge that times out after Amazon processed it is retried: one charge per month
    Given the buyer checked out the order of 5,000 JPY with recurring
    And the merchant captures the order
    And Amazon Pay times out the next createCharge after processing it
    When the merchant captures the order
    Then Amazon Pay received 2 createCharge calls for the order with the same idempotency key
    And the order has 2 charges
    And the order was charged twice
    And the merchant's record of the order is captured
    And the merchant received no error for the order
    And Seller Central shows 2 rows for the order, one per chargeId

  @retry @charge
  Scenario: Two 503 answers to Create Charge are retried, and the shop's record is authorized
    Given the buyer checked out the order of 5,000 JPY with payment intent Confirm
    And Amazon Pay answers 503 to the next 2 calls of createCharge
    When the merchant charges 5,000 JPY on the order
    Then Amazon Pay received 3 createCharge calls for the order with the same idempotency key
    And the order was charged once
    And the merchant's record of the order is authorized
    And Seller Central shows the order as Open

  @recurring @charge
  Scenario: Beyond the monthly limit the charge is refused until the next month in Japan time
    Given it is 2026-01-31 10:00 JST
    And the buyer checked out the order of 10,000 JPY with recurring
    When the merchant charges 90,001 JPY on the order
    Then the merchant received the error PeriodicAmountExceeded
    And the order has 1 charge
    And the order may still be charged 90,000 JPY this month
    And the merchant's record of the order is authorized
    When the next month begins
    And the merchant charges 90,001 JPY on the order
    Then the order has 2 charges
    And the merchant's record of the order is authorized
