Feature: The monthly limit of a Recurring Charge Permission — ¥100,000 per calendar month in Japan
  In Japan one Recurring Charge Permission may be charged at most 100,000 JPY per calendar month;
  Get Charge Permission shows what is left (limits.amountBalance), a Create Charge beyond it is
  refused with PeriodicAmountExceeded, and the balance is back on the 1st of the next month
  (00:00:00 Japan time).

  @recurring @charge
  Scenario: Charged up to the limit, refused one yen more until the month turns in Japan time
    Given it is 2026-01-31 10:00 JST
    And the buyer checked out order A of 10,000 JPY with recurring
    Then order A may still be charged 90,000 JPY this month
    When the merchant charges 90,001 JPY on order A
    Then the merchant received the error PeriodicAmountExceeded for order A
    And order A has 1 charge
    When the merchant charges 90,000 JPY on order A
    Then order A has 2 charges
    And order A may still be charged 0 JPY this month
    When it is 1 second before the next month begins
    And the merchant charges 1 JPY on order A
    Then order A has 2 charges
    When the next month begins
    Then order A may still be charged 100,000 JPY this month
    When the merchant charges 10,000 JPY on order A
    Then order A has 3 charges
    And order A may still be charged 90,000 JPY this month
