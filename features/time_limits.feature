Feature: Time limits of an authorization
  An authorization is valid for 30 days; after that the Charge is Canceled (ExpiredUnused) and
  must be authorized again. In Live a capture more than 7 days after the authorization is
  asynchronous: CaptureInitiated first, Captured later; in Sandbox it is captured at once.

  Scenario: An authorization expires unused after 30 days
    Given the buyer checked out the order of 5,000 JPY
    When it is 29 days 23 hours 59 minutes 59 seconds after the authorization
    Then the Charge of the order is Authorized
    When it is 30 days after the authorization
    Then the Charge of the order is Canceled with reason ExpiredUnused
    And Seller Central shows the order as Open

  @reconcile
  Scenario: A shop that captures an expired authorization gets an error until it reconciles
    Given the shop's notification endpoint is down
    And the buyer checked out the order of 5,000 JPY
    And 30 days pass
    When the merchant captures the order
    Then the merchant received the error InvalidChargeStatus
    When the merchant's reconciliation job runs
    Then the merchant's record of the order is canceled
    When the merchant captures the order
    Then Seller Central shows the order as Closed
    And the merchant's record of the order is captured

  @live
  Scenario Outline: In Live, captured <after> the authorization, the capture is <state>
    Given the buyer checked out the order of 5,000 JPY
    When it is <after> after the authorization
    And the merchant captures the order
    Then the Charge of the order is <state>
    And Seller Central shows the order as <status>
    When 30 seconds pass
    Then the Charge of the order is Captured
    And Seller Central shows the order as Closed

    Examples:
      | after           | state            | status |
      | 7 days          | Captured         | Closed |
      | 7 days 1 second | CaptureInitiated | Open   |

  Scenario: In Sandbox a capture more than 7 days after the authorization is captured at once
    Given the buyer checked out the order of 5,000 JPY
    When it is 7 days 1 second after the authorization
    And the merchant captures the order
    Then the Charge of the order is Captured
    And Seller Central shows the order as Closed
