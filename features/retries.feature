Feature: Retries — Amazon Pay's transient answers and lost connections, and the shop's idempotency keys
  A call answered 429, 500 or 503, or one whose answer never arrives, may be sent again. Sent
  again under the same idempotency key, a call Amazon Pay already processed gets its first answer
  back, so the buyer is charged once; the view and the shop's own record agree on one charge.

  @retry
  Scenario: A capture that times out after Amazon processed it is retried without a second capture
    Given the buyer checked out order A of 5,000 JPY
    And Amazon Pay times out the next capture after processing it
    When the merchant captures order A
    Then Amazon Pay received 2 captureCharge calls for order A with the same idempotency key
    And order A was charged once
    And the merchant's record of order A is captured
    And the merchant received no error for order A
    And Seller Central shows order A with 5,000 JPY captured
    And Seller Central shows order A as Closed

  @retry @charge
  Scenario: Two 503 answers to Create Charge are retried and the third call charges once
    Given the buyer checked out order A of 5,000 JPY with payment intent Confirm
    And Amazon Pay answers 503 to the next 2 calls of createCharge
    When the merchant charges 5,000 JPY on order A
    Then Amazon Pay received 3 createCharge calls for order A with the same idempotency key
    And order A has 1 charge
    And order A was charged once
    And the merchant's record of order A is authorized
    And Seller Central shows order A as Open

  @retry @charge
  Scenario: The connection drops after the charge is created; the retry gets the same charge back
    Given the buyer checked out order A of 5,000 JPY with payment intent Confirm
    And the connection drops after the charge is created
    When the merchant charges 5,000 JPY on order A
    Then Amazon Pay received 2 createCharge calls for order A with the same idempotency key
    And order A has 1 charge
    And order A was charged once
    And the merchant's record of order A holds Amazon's ids

  @retry @create-checkout
  Scenario: Throttled three times, the checkout is created on the fourth call
    Given Amazon Pay throttles the next 3 calls
    When the merchant starts a checkout for order A of 5,000 JPY
    Then Amazon Pay received 4 createCheckoutSession calls for order A with the same idempotency key
    And the merchant received no error for order A
    When the buyer of order A pays
    And the buyer of order A returns to the shop
    Then order A was charged once

  @retry
  Scenario: When the retries run out the shop keeps the error and the authorization stays open
    Given the buyer checked out order A of 5,000 JPY
    And Amazon Pay answers ServiceUnavailable to the next 4 calls of capture
    When the merchant captures order A
    Then Amazon Pay received 4 captureCharge calls for order A with the same idempotency key
    And the merchant received the error ServiceUnavailable for order A
    And the merchant's record of order A is authorized
    And Seller Central shows order A as Open
    And order A was charged once

  @retry
  Scenario: A capture that times out before Amazon processed it is sent again until it gets through
    Given the buyer checked out order A of 5,000 JPY
    And Amazon Pay times out the next 2 calls of capture
    When the merchant captures order A
    Then Amazon Pay received 3 captureCharge calls for order A with the same idempotency key
    And order A was charged once
    And Seller Central shows order A as Closed

  @retry
  Scenario: A throttled capture is retried once
    Given the buyer checked out order A of 5,000 JPY
    And Amazon Pay throttles the next call
    When the merchant captures order A
    Then Amazon Pay received 2 captureCharge calls for order A with the same idempotency key
    And the merchant's record of order A is captured

  @retry
  Scenario: A completion whose answer was lost is retried and gets the same ids back
    Given the merchant starts a checkout for order A of 5,000 JPY
    And the buyer of order A pays
    And the connection drops after Amazon Pay processes the next completion
    When the buyer of order A returns to the shop
    Then Amazon Pay received 2 completeCheckoutSession calls for order A with the same idempotency key
    And the merchant's record of order A holds Amazon's ids
    And the merchant's record of order A is authorized
    And order A was charged once

  @retry @refund
  Scenario: A refund cut off on the way is sent again; two refunds are two requests with two keys
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    And the connection drops during the next refund
    When the merchant refunds 1,000 JPY of order A
    Then Amazon Pay received 2 createRefund calls for order A with the same idempotency key
    Given Amazon Pay throttles the next refund
    When the merchant refunds 1,000 JPY of order A
    Then Amazon Pay received 4 createRefund calls for order A
    And Amazon Pay received 0 cancelCharge calls for order A

  @refund
  Scenario: Two refunds are two requests, each under its own idempotency key
    Given the buyer checked out order A of 5,000 JPY
    And the merchant captures order A
    When the merchant refunds 1,000 JPY of order A 2 times
    Then Amazon Pay received 2 createRefund calls for order A with different idempotency keys
