"""The project's decisions: every simulator behaviour the reference leaves open, in one table.

Each entry names what the reference says (section and confidence) and what the simulator does.
The timing values that a decision fixes are collected in `Settings`, so a scenario or a test can
change them in one place. `docs/fidelity.md` lists the same entries and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

__all__ = ["DECISIONS", "DECISIONS_BEGIN", "DECISIONS_END", "Settings", "render_decisions"]


@dataclass(frozen=True)
class Decision:
    """One project decision: its id, what we do, and why (reference section, confidence)."""

    id: str
    choice: str
    basis: str


DECISIONS: tuple[Decision, ...] = (
    Decision("D-DROPOFF-DEADLINE",
             "An approved checkout that is never completed is canceled at the session's "
             "expirationTimestamp (creation + 24 h): session Canceled/Expired, its authorization "
             "Canceled/AmazonCanceled, the permission Closed/AmazonCanceled, the row Canceled.",
             "docs/reference/seller-central.md Open 2 [decision]; docs/reference/amazon-pay-v2.md §2.1 [C]"),
    Decision("D-AUTH-AT-APPROVAL",
             "The Charge Permission (and, for Authorize / AuthorizeWithCapture, an authorized "
             "Charge) is created when the buyer approves on Amazon's page; AuthorizeWithCapture "
             "is captured when Complete is called. The developer guide names Complete as the moment; "
             "the simulator keeps approval because Seller Central shows a dropped-off checkout's row "
             "Open before any Complete (the case the harness exists for).",
             "docs/reference/amazon-pay-v2.md §2.1; docs/reference/seller-central.md Open 2; "
             "docs/reference/README.md Corrections 2 [decision]; capture timing [I]"),
    Decision("D-IDS-AT-COMPLETE",
             "Get Checkout Session shows chargePermissionId and chargeId only once Completed.",
             "docs/reference/amazon-pay-v2.md §1.2 samples: null while Open [C]"),
    Decision("D-COMPLETE-BEFORE-APPROVAL",
             "Complete (or Update) after the buyer has not approved / has already approved "
             "answers 422 InvalidCheckoutSessionStatus; so does Complete on a Completed or any "
             "Canceled session (including Expired), as Amazon's FAQ says. The 422 status is the "
             "decision (the FAQ names the code only).",
             "docs/reference/amazon-pay-v2.md §2.1 (FAQ [C]), §4.2 [I]; docs/reference/README.md "
             "Corrections 3"),
    Decision("D-CHECKOUT-DECLINE-NO-PERMISSION",
             "A checkout that ends Canceled/BuyerCanceled or Canceled/Declined on Amazon's page "
             "(cards 3064, 3434) creates no Charge Permission and so no Seller Central row.",
             "docs/reference/amazon-pay-v2.md §6.1 [C] for the session; no row [I]"),
    Decision("D-SUSPENDED",
             "A row is Suspended exactly while its Charge Permission is NonChargeable "
             "(PaymentMethodInvalid after a hard decline, PaymentMethodExpired); it is Open "
             "again once the buyer updates the payment method.",
             "docs/reference/seller-central.md Suspended [decision]; docs/reference/amazon-pay-v2.md "
             "§8.1 [C-old]"),
    Decision("D-RECURRING-ROWS",
             "Recurring: one row per Charge; uncaptured -> Open, captured -> Closed, canceled or "
             "declined -> Canceled; every uncaptured row of a Closed permission shows the "
             "permission's own status (Closed; Canceled after an operator cancel or a checkout "
             "never completed, as Canceled 1 and 2 say).",
             "docs/reference/seller-central.md Amazon Reference ID [decision]"),
    Decision("D-OPERATOR-CANCEL",
             "Operator cancel (お支払いキャンセル): permission Closed/MerchantCanceled, open "
             "Charges Canceled/ChargePermissionCanceled, row Canceled.",
             "docs/reference/seller-central.md Operations [decision]; docs/reference/amazon-pay-v2.md "
             "§8.2 [I]"),
    Decision("D-OPERATOR-CLOSE",
             "Operator close (終了したお支払い): permission Closed/MerchantClosed; captured Charges "
             "stay as they are, open authorizations are left to expire.",
             "docs/reference/seller-central.md Operations [decision]; docs/reference/amazon-pay-v2.md "
             "§8.2 [I]"),
    Decision("D-OPERATOR-CAPTURE",
             "Operator capture captures the permission's Authorized Charge (the oldest, in full "
             "unless an amount is given); with none, it creates a Charge with captureNow. A "
             "Charge still AuthorizationInitiated blocks it with 422 InvalidChargeStatus.",
             "docs/reference/seller-central.md Operations [C rule]; 'active' = Authorized [decision]"),
    Decision("D-RECURRING-OPERATIONS",
             "On a Recurring row the operator's capture, refund and cancel act on that row's "
             "Charge; close closes the whole recurring permission.",
             "docs/reference/amazon-pay-v2.md §8.1 'some menus are unavailable' [C-old]; mapping [decision]"),
    Decision("D-AMOUNT-LIMIT",
             "amountLimit = totalOrderAmount if set, else chargeAmount; with allowOvercharge it is "
             "max(900 % of that amount, ¥70,000), 900 % read as nine times the order. Amazon offers "
             "allowOvercharge and extendExpiration by invitation; the simulator accepts them from every "
             "merchant, as from an invited one (what Amazon answers an uninvited one is not public).",
             "docs/reference/amazon-pay-v2.md §2.2 [I] and [C arithmetic]; docs/reference/README.md "
             "Corrections 1 (availability) [decision]"),
    Decision("D-BALANCE",
             "amountBalance = amountLimit - captured - open authorizations; a released or "
             "expired authorization gives its amount back. ChargeInProgress is not modelled.",
             "docs/reference/amazon-pay-v2.md §2.2 [U], its recommended default"),
    Decision("D-FULL-CAPTURE-CLOSE",
             "A OneTime permission closes (Closed/AmazonClosed, row Closed) when the captured "
             "total reaches amountLimit; a partial capture keeps it Chargeable (row Open).",
             "docs/reference/amazon-pay-v2.md §2.2 [C close], reason AmazonClosed [I]; "
             "docs/reference/seller-central.md Closed 1"),
    Decision("D-OVERCAPTURE",
             "A capture above the Charge's amount answers 400 TransactionAmountExceeded.",
             "docs/reference/amazon-pay-v2.md §2.3 [U], its safe default"),
    Decision("D-SECOND-CAPTURE",
             "Capture of a Charge that is not Authorized answers 422 InvalidChargeStatus.",
             "docs/reference/amazon-pay-v2.md §2.3 [I]"),
    Decision("D-ASYNC-DELAYS",
             "A pending authorization, an asynchronous capture and a refund each resolve 30 s "
             "after they start (Settings), unless an Amazon event resolves them first.",
             "docs/reference/amazon-pay-v2.md §6.1 (~30 s in sandbox) [C], §2.4 (JPBETA ~30 s) [C-old]"),
    Decision("D-REFUNDED-AMOUNT",
             "Charge.refundedAmount counts Refunded refunds only; the refund cap counts "
             "RefundInitiated and Refunded ones.",
             "docs/reference/amazon-pay-v2.md §2.4 [I]/[U]"),
    Decision("D-ROUND",
             "Percent-derived limits (refund cap 15 %, overcharge 900 %) round down to the "
             "currency's minor unit.",
             "not in the reference [decision]"),
    Decision("D-DECLINE-EFFECTS",
             "A decline's effect on the permission: HardDeclined -> NonChargeable/"
             "PaymentMethodInvalid; AmazonRejected -> Closed/AmazonCanceled (row Closed); "
             "SoftDeclined, ProcessingFailure, TransactionTimedOut -> unchanged. The declined "
             "Charge is kept (Declined) and readable with Get Charge.",
             "docs/reference/amazon-pay-v2.md §2.3 reason meanings [C-old], object kept [U]"),
    Decision("D-EXPIRY-OPEN-CHARGES",
             "When a permission expires, its open authorizations become "
             "Canceled/ChargePermissionCanceled.",
             "not in the reference [decision]"),
    Decision("D-CLOSE-PENDING",
             "Close Charge Permission with cancelPendingCharges=false leaves open Charges as "
             "they are.",
             "docs/reference/amazon-pay-v2.md §2.2 [U]"),
    Decision("D-RECURRING-LIMITS",
             "A Recurring permission has no amountLimit of its own (only the monthly one, "
             "D-RECURRING-MONTHLY-LIMIT), no 25-charge limit and is not closed by captures; its "
             "13-month expiry is not pushed out by new charges.",
             "docs/reference/amazon-pay-v2.md §2.2 (13 months [C], extension [U])"),
    Decision("D-RECURRING-MONTHLY-LIMIT",
             "A Recurring JPY permission's month is the calendar month in Japan time (UTC+9): it "
             "resets at 00:00:00 JST on the 1st (2026-01-31 23:59:59 JST still January, 2026-02-01 "
             "00:00:00 JST, which is 2026-01-31 15:00 UTC, February); other currencies follow UTC. "
             "Counted: Charges created this month, captured ones at their captured amount, open "
             "authorizations at their amount, declined and canceled ones not at all; the checkout's "
             "first Charge counts but is never refused. Get Charge Permission shows amountLimit "
             "100000 and amountBalance what is left (never below 0); a Create Charge above it "
             "answers 400 PeriodicAmountExceeded with Amazon's message. No EU limit is applied.",
             "docs/reference/amazon-pay-v2.md §2.6 (limit, JSON, error [C: amazonpay-faq.jp QA-55, "
             "QA-57]; time zone and counting [decision: the pages say 'calendar month' and '翌月1日' "
             "only, and Japanese buyers and merchants read dates in JST])"),
    Decision("D-MAX-AMOUNT",
             "An amount above ¥10,000,000 answers 400 InvalidParameterValue.",
             "docs/reference/amazon-pay-v2.md §2.3 limit [C], error code [I]"),
    Decision("D-MONTHS",
             "'13 months' is calendar arithmetic: the same day and time 13 months later, or the "
             "month's last day when that day does not exist.",
             "not in the reference [decision]"),
    Decision("D-SIM-COMPLETE",
             "Complete and Finalize Checkout Session accept the simulation codes BuyerCanceled, "
             "AmazonCanceled and Declined: an Open session becomes Canceled with that reason (a "
             "permission created at approval closes as never completed: Closed/AmazonCanceled, "
             "its authorization Canceled/AmazonCanceled, the row Canceled) and the call answers "
             "422 InvalidCheckoutSessionStatus, as Complete on any Canceled session does. "
             "AuthorizationInitiated is not accepted (the authorization runs at approval, "
             "D-AUTH-AT-APPROVAL: use card 0701), nor is any code on Update or Get Checkout "
             "Session (400 InvalidSandboxSimulationSpecified).",
             "docs/reference/amazon-pay-v2.md §6.2 codes reported [U]; SFCC sends them on Update [C]"),
    Decision("D-SIM-CREATE-CHARGE",
             "Create Charge accepts SoftDeclined, HardDeclined, AmazonRejected, "
             "TransactionTimedOut and ProcessingFailure (declined at once: the decline error, 422 "
             "or 500, with D-DECLINE-EFFECTS), AuthorizationInitiated (pending, then Authorized; "
             "needs canHandlePendingAuthorization=true) and CaptureInitiated (needs "
             "captureNow=true; the capture is asynchronous). An unmet prerequisite answers 400 "
             "InvalidSandboxSimulationSpecified. The 'Pending...' variants are not accepted: "
             "their names are not in the reference.",
             "docs/reference/amazon-pay-v2.md §6.2 reported [U], prerequisite error [C]; "
             "ProcessingFailure from "
             "the §2.3 decline reasons [decision]"),
    Decision("D-SIM-CLOSE",
             "Close Charge Permission with the simulation code AmazonClosed closes the permission "
             "as Closed/AmazonClosed (row Closed) instead of MerchantClosed; closureReason and "
             "cancelPendingCharges apply as usual.",
             "docs/reference/amazon-pay-v2.md §6.2 reported [U]"),
    Decision("D-COMPLETED-SESSION-JSON",
             "A Completed Checkout Session keeps every key but fills only checkoutSessionId, "
             "statusDetails, chargePermissionId, chargeId and creationTimestamp; a Canceled one "
             "keeps its full shape.",
             "docs/reference/amazon-pay-v2.md §1.2 'After completion' (US sandbox 2022) [C], ONB [C]; "
             "Canceled "
             "'state and reason only' [C-old]"),
    Decision("D-BUYER-TOKEN",
             "Get Buyer answers the simulator's default buyer for any token of at most 1000 "
             "characters (the Sign-in button flow that issues tokens is not modelled); a longer "
             "token answers 400 InvalidParameterValue.",
             "docs/reference/amazon-pay-v2.md §1.6 token length [C]; mapping [decision]"),
    Decision("D-BUYER-ADDRESS",
             "The default buyer's shipping address is a Japanese one written as a Japanese buyer "
             "writes it: stateOrRegion a prefecture's full name (東京都), city 目黒区, addressLine1 "
             "下目黒1-2-3, postalCode 153-0064, countryCode JP; `buyer: address in` changes only the "
             "prefecture. The address fields are Amazon's (§1.2); the example values and their script are "
             "the project's.",
             "docs/reference/amazon-pay-v2.md §1.2 shippingAddress [C]; values [decision]"),
    Decision("D-PATCH-MERGE",
             "Update Checkout Session and Update Charge Permission change only the fields they "
             "send inside webCheckoutDetails, paymentDetails, merchantMetadata and "
             "recurringMetadata; a null value counts as absent.",
             "not in the reference [decision]"),
    Decision("D-UNMODELLED-FIELDS",
             "Request fields of features the simulator does not model (productType PayOnly / "
             "PayAndShipMultiAddress, PaymentMethodOnFile, addressDetails, saved-wallet "
             "chargePermissionId, multiAddressesCheckoutMetadata, recurringMetadata on Update "
             "Charge Permission, a changed chargePermissionType on Update) answer 400 "
             "InvalidParameterValue saying so; scopes, deliverySpecifications, platformId, "
             "providerMetadata, supplementaryData, chargeInitiator, channel and Finalize's "
             "paymentIntent and addresses are checked for form and ignored.",
             "docs/reference/amazon-pay-v2.md §3 fields [C]; handling [decision]"),
    Decision("D-ERROR-PATHS",
             "UnrecognizedField names the key alone; InvalidParameterValue and "
             "MissingParameterValue name the dotted path from the body's root, a Price's bad "
             "amount as '<path>.Amount'.",
             "docs/reference/amazon-pay-v2.md §3, §4.1 live messages [C]; other paths [I]"),
    Decision("D-WIRE-ROUTING",
             "An unknown path answers 404 ResourceNotFound naming the closest route and why it "
             "missed; a known path with another method 405 UnsupportedOperation; an operation the "
             "simulator does not model 405 RequestNotSupported (docs/api-coverage.md). One "
             "simulator is one environment: a request for the other answers 404 with the reason. "
             "A SANDBOX-/LIVE- key on a /sandbox|/live path is tolerated when they agree.",
             "docs/reference/amazon-pay-v2.md §3, §4.2 [C codes, I mapping]"),
    Decision("D-WIRE-AUTH",
             "x-amz-pay-date, -host, -region and authorization are required (absent: 400 "
             "MissingHeader; empty: 400 MissingHeaderValue). An unknown key id or a key of the "
             "other environment answers 403 InvalidRequestSignature. x-amz-pay-date may be at "
             "most 15 minutes ahead of the simulated clock; past dates are not limited. With "
             "signature checks off, authorization must still be present.",
             "docs/reference/amazon-pay-v2.md §4.1 [C future date], §5.2 [U status, U tolerance]"),
    Decision("D-SERVER-CLOCK",
             "harness serve: the simulated clock starts at the wall clock (or --start) and moves "
             "only when the control API moves it (never by itself, so nothing expires while a "
             "tester pauses). The merchant signs with its own, real clock, so x-amz-pay-date is "
             "checked against the later of the wall clock and the simulated clock: advancing "
             "simulated time never makes a correctly signed date invalid, and a date more than "
             "15 minutes ahead of both is refused as D-WIRE-AUTH says.",
             "docs/reference/amazon-pay-v2.md §4.1 [C future date]; server clock [decision]"),
    Decision("D-SERVER-CHECKOUT-PAGE",
             "In-process the Checkout Session's amazonPayRedirectUrl is Amazon's URL for the region "
             "(https://payments.amazon.co.jp/checkout/processing?amazonCheckoutSessionId=…); under "
             "harness serve it is the server's own hosted checkout page, "
             "http://127.0.0.1:PORT/checkout/{checkoutSessionId} (https with --tls), the address the "
             "server listens on. There the tester picks a §6.1 card and approves (sent with 303 to "
             "checkoutResultReturnUrl?amazonCheckoutSessionId=…), cancels (Canceled/BuyerCanceled, "
             "sent to the same URL, as card 3064 returns the buyer) or drops off (a page saying the "
             "buyer left, no redirect). checkoutCancelUrl is kept but not used. Signing in stays a "
             "control call: buyer/sign-in, or the click on Amazon Pay's button, buyer/click-button "
             "(no page is served for either).",
             "docs/reference/amazon-pay-v2.md §1.2 [C-old: JPBETA], §9.8, §6.1 [C]; page and URL "
             "[decision]"),
    Decision("D-WIRE-IDEMPOTENCY",
             "Checked on POST only: ≤ 32 chars [A-Za-z0-9_-] (else 400 InvalidHeaderValue), "
             "missing where required 400 MissingHeaderValue. The same operation, path, query and "
             "body under a key replays the first answer (errors included, 5xx and pre-checks not "
             "stored) with a new request id; anything else under it answers 400 "
             "DuplicateIdempotencyKey. One store per simulator, kept for its life. A blank key "
             "counts as not sent.",
             "docs/reference/amazon-pay-v2.md §5.3 [C], replay of errors [U]"),
    Decision("D-WIRE-SIMULATION-CODES",
             "x-amz-pay-simulation-code on a Live request, or a code the operation does not take, "
             "answers 400 InvalidSandboxSimulationSpecified listing the accepted codes; the header "
             "counts whether it was signed or not, and a blank one as not sent.",
             "docs/reference/amazon-pay-v2.md §6.2 [C code, U per-operation list]"),
    Decision("D-WIRE-JSON",
             "A body that is not a JSON object (bad JSON, NaN, bad UTF-8, nesting deeper than "
             "Python's parser goes, a lone UTF-16 surrogate) answers 400 InvalidRequestFormat; an "
             "empty body means no body; numbers are read as decimals. A number no real value "
             "needs (an amount of more than 18 digits before or after the point, a frequency of "
             "more than 9 digits) answers 400 InvalidParameterValue like any invalid value; near "
             "misses compare and quote at most 120 characters of a path, and a handler keeps the "
             "latest 1,000 of them.",
             "docs/reference/amazon-pay-v2.md §3 [C code]"),
    Decision("D-WIRE-500",
             "Any failure of the simulator itself answers 500 InternalServerError naming it; the "
             "traceback goes to the `harness.api` log, never into the body.",
             "docs/reference/amazon-pay-v2.md §4.2 [C code]"),
    Decision("D-WIRE-UNROUTED",
             "In-process (httpx through respx, requests through responses) a request to an Amazon "
             "host that matches nothing answers the 404 near-miss body and also warns; a "
             "look-alike host raises the client's connection error naming the real one; nothing "
             "addressed to Amazon reaches the network. Other hosts (a shop's own services) pass "
             "through unless the mock is told to block them (`other_hosts=\"block\"`).",
             "docs/reference/design.md idea 3 [decision]"),
    Decision("D-WIRE-SIGNED-HEADERS",
             "An x-amz-pay-idempotency-key that is sent must be in SignedHeaders, else 403 "
             "InvalidRequestSignature: a captured signature cannot create further Charges with fresh "
             "keys. Other headers may be sent unsigned: the PHP SDK's x-amz-pay-sdk-* headers, and "
             "x-amz-pay-simulation-code, which some integrations leave out of the signature.",
             "docs/reference/official-sdks.md §1.2 (every SDK signs the idempotency key it sends) "
             "[decision: Amazon's own check is not published]"),
    Decision("D-WIRE-FAULTS",
             "Faults are chosen by the operation's SDK name: N times or with a seeded "
             "probability; 429 / 500 / 503 with Amazon bodies, a read timeout, or a dropped "
             "connection; `after_processing` loses an answer the simulator already stored.",
             "docs/reference/official-sdks.md §6 retry sets [C]"),
    Decision("D-SESSION-TIMEOUT-HOLD",
             "Over HTTP a simulated read timeout holds the answer, then drops the connection: 30 s "
             "under `harness serve` unless the fault names `holdSeconds`, 1 s on the pytest plugin's "
             "session server, so a shop in another process meets no answer either way (its own "
             "client's timeout, or the dropped connection) and a suite of time-outs stays short.",
             "[decision: how long Amazon keeps a client waiting is not published]"),
    # --- reports (issue 15) ---
    Decision("D-REPORT-PROCESSING",
             "A report is IN_PROGRESS for `Settings.report_processing_delay` (1 minute) after it was "
             "requested, then COMPLETED, or CANCELLED when its range holds no transaction; "
             "processingStartTime is createdTime. A report is kept 90 days after createdTime, then 404.",
             "docs/reference/amazon-pay-v2.md §8.4 (statuses, 90 days) [C]; the delay [decision]"),
    Decision("D-REPORT-AVAILABILITY",
             "Sandbox serves only _GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_; Live every "
             "other type except the capture report (not offered through the API), and its settlement "
             "reports are made per settlement only, never on request or by a schedule. Any other type, or "
             "a type of the other environment, answers 400 InvalidParameterValue naming reportType.",
             "docs/reference/amazon-pay-v2.md §8.4 [C]; the error code [decision]"),
    Decision("D-REPORT-DATES",
             "startTime / endTime / createdSince / createdUntil / nextReportCreationTime are read as "
             "`YYYYMMDDTHHMMSSZ`, ISO 8601 (offset or Z) or the docs' `YYYY-MM-DDTHH-MM-SSZ`; a value "
             "that is none of them, a start not before its end, or an endTime after the simulated "
             "clock answers 400 InvalidParameterValue naming the field.",
             "docs/reference/amazon-pay-v2.md §8.4 (formats in Amazon's samples) [C]; the checks [decision]"),
    Decision("D-REPORT-PAGING",
             "getReports pages newest first; nextToken is opaque and carries the first call's "
             "filters, so the parameters sent with it are ignored (the .NET SDK always sends "
             "createdSince, createdUntil and pageSize). An unknown token, pageSize outside 1-100 or "
             "not a number answer 400 InvalidParameterValue.",
             "docs/reference/amazon-pay-v2.md §8.4 (send nextToken alone) [C]; the rest [decision]"),
    Decision("D-REPORT-DOCUMENT-URL",
             "A report document's url points at the simulator itself (the API host in process, the "
             "server under `harness serve`; the API host again on the plugin's session server, reached as a "
             "proxy): `.../v2/report-documents/{id}/content` with an expiry and a "
             "token. Within 30 s of Get Report Document it answers the file (text/csv, UTF-8); later, "
             "or with a wrong token, 403 with S3's XML error (AccessDenied, 'Request has expired').",
             "docs/reference/amazon-pay-v2.md §8.4 (30 s, N/A, an S3 pre-signed URL) [C]; the host and "
             "shape [decision]"),
    Decision("D-REPORT-SCHEDULES",
             "One schedule per report type: creating a second answers 400 InvalidRequest unless "
             "deleteExistingSchedule is true (then it replaces the first). A schedule creates a report "
             "at nextReportCreationTime and every scheduleFrequency after, each covering the time since "
             "the previous one (the first: one frequency back). Create answers 201, cancel 200 {}.",
             "docs/reference/amazon-pay-v2.md §8.4 (frequencies, deleteExistingSchedule) [C]; the rest "
             "[decision]"),
    Decision("D-SETTLEMENT-PERIOD",
             "The Amazon Pay account is opened when the simulator starts: the first settlement period "
             "ends `Settings.first_settlement` (16 days) later, each next one `Settings.settlement_period` "
             "(14 days) after. In Live a settlement report covering each period is created "
             "when it ends; in Sandbox settlement reports exist only when requested. getDisbursements "
             "lists one disbursement per ended period with transactions: amount = the period's net "
             "total, transactionTime = the period's end, its settlementId the report rows' one; "
             "startTime and endTime are required.",
             "docs/reference/amazon-pay-v2.md §8.3 (16 days, then every 14) [C]; the account's opening, "
             "payout time, no pauses or reserve [decision]"),
    Decision("D-SETTLEMENT-LAYOUT",
             "Flat files are comma-separated CSV (UTF-8, CRLF, every field quoted). A settlement "
             "report starts with a SellerId / SettlementStartDate / SettlementEndDate header row and "
             "its values, an empty line, then one row per transaction in the column order of "
             "`harness.amazon_pay.flat_files.SETTLEMENT_COLUMNS`. Dates are ISO 8601 with a numeric "
             "offset in the region's time (JST, +0900, in Japan). SellerId is the MerchantID of the "
             "notifications (D-IPN-TOPIC).",
             "docs/reference/amazon-pay-v2.md §8.4 (columns, date format) [C]; order, delimiter, quoting "
             "[decision]"),
    Decision("D-SETTLEMENT-TRANSACTIONS",
             "A settlement report lists every authorization (amount shown, no fee, net 0), capture "
             "(amount, fees charged, net = amount - fees) and refund (negative amount, the percentage "
             "fee on it given back, net = -amount + that fee) posted in its range, posted when the "
             "Charge became Authorized / Captured and the Refund Refunded.",
             "docs/reference/amazon-pay-v2.md §8.4 (transaction types) [C]; amounts and fees [decision]"),
    Decision("D-FEE-SCHEDULE",
             "Fees are `Settings.fee_percent` (3.9 %) of a capture plus `Settings.fee_fixed` (0), "
             "rounded down to the currency's unit; set your contract's rates in `Settings`.",
             "not on a public page we read [decision]"),
    # --- notifications (IPN) ---
    Decision("D-IPN-WHICH",
             "Every change of state of a Charge Permission, Charge or Refund notifies (ObjectType "
             "CHARGE_PERMISSION, CHARGE, REFUND; NotificationType STATE_CHANGE), its creation "
             "included; a new cause in the same state, and every Checkout Session change, do not. "
             "CHARGEBACK and ATTRIBUTE_CHANGE are not modelled.",
             "docs/reference/amazon-pay-v2.md §7.1 (the types) [C]; which transitions notify is not "
             "published [decision]"),
    Decision("D-IPN-DELIVERY",
             "Nothing is delivered until a target is set (Seller Central's IPN endpoint: the "
             "merchant adapter's receive_notification in-process, --ipn-url or the control API in "
             "server mode). A notification is delivered after the call or the time step that "
             "caused it: before the scenario's next step, when Simulator.advance returns, after "
             "each control call, or on Simulator.notifications.flush(); the shop's handler runs "
             "without the simulator's lock, so it can GET the object. A delivery's time is the "
             "simulated moment it was due.",
             "docs/reference/amazon-pay-v2.md §7.1 (POST to the configured endpoint) [C]; timing "
             "[decision]"),
    Decision("D-IPN-RETRIES",
             "A delivery fails on a status outside 2xx, an exception, a timeout (15 s over HTTP) "
             "or an endpoint that is down; it is retried every hour on the simulated clock, at "
             "most 3 times (4 attempts), with the same envelope and MessageId. Unlike the legacy "
             "rule, 4xx and unreachable endpoints are retried too (a shop's outage must be "
             "testable) and retries stop after 3 hours, not 14 days (Settings: "
             "notification_retry_interval, notification_retries).",
             "docs/reference/amazon-pay-v2.md §7.4 (hourly for 14 days, no retry of 4xx or an "
             "unreachable endpoint, in the legacy rule; the v2 schedule is not published) [decision]"),
    Decision("D-IPN-TOPIC",
             "MerchantID is 'A' and 13 letters or digits, fixed per seed; TopicArn "
             "arn:aws:sns:<region>:123456789012:AmazonPay-IPN-<MerchantID> with ap-northeast-1 "
             "for Japan (us-east-1, eu-west-1 elsewhere); SignatureVersion 1 unless a test sets "
             "2; the headers are SNS's (Content-Type text/plain; charset=UTF-8, "
             "x-amz-sns-message-type, -message-id, -topic-arn, -subscription-arn, User-Agent).",
             "docs/reference/amazon-pay-v2.md §7.2, §7.3 (SNS's format and headers) [C]; the "
             "account, topic and region Amazon Pay uses are not published [decision]"),
    Decision("D-IPN-CERTIFICATE",
             "Notifications are signed with an RSA 2048 key and a self-signed test certificate "
             "made once per process, served at https://sns.<region>.amazonaws.com/"
             "SimpleNotificationService-<hash>.pem by the in-process mounts and by harness serve "
             "(whose leaf certificate covers the SNS host); no real Amazon certificate is used.",
             "docs/reference/amazon-pay-v2.md §7.3 [decision: a test key cannot be Amazon's]"),
    # --- the button (issue 13) ---
    Decision("D-BUTTON-CLICK",
             "The buyer's click on Amazon Pay's button creates the Checkout Session from the "
             "payload as Create Checkout Session would (the same checks and errors), signs the "
             "simulator's buyer in with its address, and sends the buyer to "
             "checkoutReviewReturnUrl?amazonCheckoutSessionId=…; choosing an address or payment "
             "method on Amazon's page is not modelled. A payload without checkoutReviewReturnUrl "
             "(checkoutMode ProcessOrder, the Additional Payment Button) is refused as not modelled.",
             "docs/reference/amazon-pay-v2.md §5.5, §9.8 [C]; the page's steps [decision]"),
    Decision("D-BUTTON-ERROR",
             "A click Amazon refuses shows the button's error page (Error Code, Error Message) and "
             "creates nothing: a signature that does not verify is InvalidSignatureError with "
             "Amazon's message; a publicKeyId with no registered key (or a key of the other "
             "environment) is InvalidSignatureError too; a storeId other than the simulator's "
             "store, or an unknown algorithm, InvalidParameterValue; a payload Create Checkout "
             "Session refuses, that operation's reasonCode and message. Under harness serve the "
             "click answers 400 with {errorCode, message}.",
             "docs/reference/amazon-pay-v2.md §5.5 [C signature error]; the other cases [decision]"),
)


@dataclass(frozen=True)
class Settings:
    """The values fixed by the decisions above that a scenario may want to change."""

    pending_authorization_delay: timedelta = timedelta(seconds=30)
    """D-ASYNC-DELAYS."""
    asynchronous_capture_delay: timedelta = timedelta(seconds=30)
    """D-ASYNC-DELAYS."""
    refund_delay: timedelta = timedelta(seconds=30)
    """D-ASYNC-DELAYS."""
    # --- reports (issue 15) ---
    report_processing_delay: timedelta = timedelta(minutes=1)
    """D-REPORT-PROCESSING."""
    first_settlement: timedelta = timedelta(days=16)
    """D-SETTLEMENT-PERIOD: from the simulator's start to the end of the first settlement period."""
    settlement_period: timedelta = timedelta(days=14)
    """D-SETTLEMENT-PERIOD."""
    fee_percent: Decimal = Decimal("3.9")
    """D-FEE-SCHEDULE: the percentage fee on a capture."""
    fee_fixed: Decimal = Decimal(0)
    """D-FEE-SCHEDULE: the fixed fee per capture, in the ledger currency."""
    notification_retry_interval: timedelta = timedelta(hours=1)
    """D-IPN-RETRIES."""
    notification_retries: int = 3
    """D-IPN-RETRIES."""


DECISIONS_BEGIN = "<!-- decisions:begin (generated from harness/amazon_pay/decisions.py) -->"
DECISIONS_END = "<!-- decisions:end -->"


def render_decisions() -> str:
    """The decision table as Markdown, as it stands in docs/fidelity.md."""
    lines = ["| Id | What the simulator does | Basis |", "|---|---|---|"]
    lines += [f"| {d.id} | {d.choice} | {d.basis} |" for d in DECISIONS]
    return "\n".join(lines)

