// A merchant's checkout on the unmodified Amazon Pay Java SDK (amazon-pay-api-sdk-java), run against
// `harness serve`: OneTime (create, sign-in, get, update, pay, return, complete, capture, refund, the
// Charge Permission) and Recurring (a second charge on the permission), then the transaction view.
//
//   javac -cp "$SDK_CLASSPATH" -d classes Checkout.java && java -cp "$SDK_CLASSPATH:classes" Checkout
// SDK_CLASSPATH: the SDK's jar (or classes) and its dependencies, from your maven install.
// Environment (examples/sdk-recipes/README.md): HARNESS_URL, AMAZON_PAY_PUBLIC_KEY_ID,
// AMAZON_PAY_PRIVATE_KEY (a PKCS#8 PEM file), AMAZON_PAY_ALGORITHM, and one way to the harness:
// AMAZON_PAY_PROXY=host:port (the SDK's ProxySettings: CONNECT to Amazon's host, trusted through
// -Djavax.net.ssl.trustStore) or AMAZON_PAY_OVERRIDE_SERVICE_URL=host:port (HTTPS to `harness serve --tls`).
// Prints one "ok" line per check and "PASS ..." at the end; exits 1 at the first failed check.

import com.amazon.pay.api.AmazonPayResponse;
import com.amazon.pay.api.PayConfiguration;
import com.amazon.pay.api.ProxySettings;
import com.amazon.pay.api.ServiceConstants;
import com.amazon.pay.api.WebstoreClient;
import com.amazon.pay.api.types.Environment;
import com.amazon.pay.api.types.Region;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.json.JSONArray;
import org.json.JSONObject;

// JSON helpers declare `throws Exception`: org.json's JSONException is unchecked, the Android rewrite's
// (Debian's libandroid-json-java) is checked, and this file compiles against both.
public final class Checkout {
    private static final HttpClient CONTROL = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();

    private Checkout() {
    }

    /** The SDK's configuration; `overrideServiceURL` has no setter since SDK 2.3.4, a subclass sets it. */
    private static final class Configuration extends PayConfiguration {
        Configuration(final String overrideServiceUrl) {
            this.overrideServiceURL = overrideServiceUrl;
        }
    }

    static String setting(final String name, final String fallback) {
        final String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            if (fallback == null) {
                fail("set " + name + " (examples/sdk-recipes/README.md)");
            }
            return fallback;
        }
        return value;
    }

    static void fail(final String message) {
        System.err.println("FAIL " + message);
        System.exit(1);
    }

    static void check(final boolean condition, final String what, final Object detail) {
        if (!condition) {
            fail(what + (detail == null ? "" : ": " + detail));
        }
        System.out.println("ok " + what);
    }

    /** A call to the harness's control API (straight to the server, never through a proxy). */
    static JSONObject control(final String method, final String path, final JSONObject body) throws Exception {
        final String base = setting("HARNESS_URL", "http://127.0.0.1:8080").replaceAll("/+$", "");
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/_harness/" + path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        final HttpResponse<String> answer = CONTROL.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            fail("control " + method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return new JSONObject(answer.body());
    }

    /** The JSON of an SDK answer, after checking its status and that it carried x-amz-pay-request-id. */
    static JSONObject answer(final AmazonPayResponse result, final String operation, final int status) {
        check(result.getStatus() == status, operation + " answered " + status, result.getRawResponse());
        check(result.getRequestId() != null && !result.getRequestId().isEmpty(),
              operation + " answer carries x-amz-pay-request-id", null);
        return result.getResponse();
    }

    static JSONObject yen(final int amount) throws Exception {
        return new JSONObject().put("amount", String.valueOf(amount)).put("currencyCode", "JPY");
    }

    static JSONObject json(final Object... pairs) throws Exception {
        final JSONObject object = new JSONObject();
        for (int i = 0; i < pairs.length; i += 2) {
            object.put((String) pairs[i], pairs[i + 1]);
        }
        return object;
    }

    /** A fresh idempotency key (Amazon allows 32 characters: a UUID's hex digits). */
    static Map<String, String> idempotent() {
        return Map.of("x-amz-pay-idempotency-key", UUID.randomUUID().toString().replace("-", ""));
    }

    static String state(final JSONObject object) throws Exception {
        return object.getJSONObject("statusDetails").getString("state");
    }

    /** The last fault planned (`/_harness/faults` lists them with how often each fired), checked to be for
     *  the operation. */
    static JSONObject lastFault(final String operation) throws Exception {
        final JSONArray faults = control("GET", "faults", null).getJSONArray("faults");
        final JSONObject fault = faults.getJSONObject(faults.length() - 1);
        check(fault.getString("operation").equals(operation), "the last fault planned is for " + operation, fault);
        return fault;
    }

    /** The buyer, through the control API: pay with a test card, come back; the return URL's id. */
    static String buyerPays(final String sessionId) throws Exception {
        control("POST", "buyer/pay", json("checkoutSessionId", sessionId, "card", "1111"));
        final String redirect = control("POST", "buyer/return", json("checkoutSessionId", sessionId))
                .getString("redirectUrl");
        check(redirect.startsWith("https://shop.example/result?"), "the buyer is sent to the result page", redirect);
        for (final String pair : URI.create(redirect).getRawQuery().split("&")) {
            final String[] parts = pair.split("=", 2);
            if (parts[0].equals("amazonCheckoutSessionId")) {
                return URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    static String oneTime(final WebstoreClient client, final String storeId) throws Exception {
        final JSONObject session = answer(client.createCheckoutSession(json(
                "webCheckoutDetails", json("checkoutReviewReturnUrl", "https://shop.example/review"),
                "storeId", storeId, "chargePermissionType", "OneTime"), idempotent()),
                "createCheckoutSession", 201);
        final String id = session.getString("checkoutSessionId");
        control("POST", "buyer/sign-in", json("checkoutSessionId", id));
        final JSONObject read = answer(client.getCheckoutSession(id), "getCheckoutSession", 200);
        check(state(read).equals("Open"), "the signed-in session is Open", read);
        check(!read.getJSONObject("buyer").optString("buyerId").isEmpty(), "the session names the signed-in buyer",
              read.opt("buyer"));
        final JSONObject updated = answer(client.updateCheckoutSession(id, json(
                "webCheckoutDetails", json("checkoutResultReturnUrl", "https://shop.example/result"),
                "paymentDetails", json("paymentIntent", "Authorize", "chargeAmount", yen(5000)),
                "merchantMetadata", json("merchantReferenceId", "order-" + UUID.randomUUID(),
                                         "merchantStoreName", "SDK recipe (Java)"))),
                "updateCheckoutSession", 200);
        check(!updated.getJSONObject("webCheckoutDetails").optString("amazonPayRedirectUrl").isEmpty(),
              "the update gives amazonPayRedirectUrl", updated);
        check(buyerPays(id).equals(id), "the return URL names the checkout", null);
        final JSONObject completed = answer(client.completeCheckoutSession(id, json("chargeAmount", yen(5000))),
                "completeCheckoutSession", 200);
        check(state(completed).equals("Completed"), "the session is Completed", completed);
        final String chargeId = completed.getString("chargeId");
        // the connection drops before Amazon answers: Apache HttpClient itself resends the GET (not the SDK)
        control("POST", "faults", json("operation", "getCharge", "kind", "drop"));
        final AmazonPayResponse resent = client.getCharge(chargeId);
        check(resent.getRetries() == 0 && lastFault("getCharge").getInt("fired") == 1,
              "a dropped GET is resent by HttpClient, unseen by the SDK's retries", resent.getRetries());
        final JSONObject charge = answer(resent, "getCharge", 200);
        check(state(charge).equals("Authorized"), "the charge is Authorized", charge);
        // Amazon captures but its answer is lost (a 503): the SDK resends the same signed request, same key
        control("POST", "faults", json("operation", "captureCharge", "kind", "ServiceUnavailable",
                                       "afterProcessing", true));
        final AmazonPayResponse result = client.captureCharge(chargeId, json("captureAmount", yen(5000)),
                idempotent());
        final JSONObject captured = answer(result, "captureCharge", 200);
        check(result.getRetries() == 1, "the SDK retried the 503 once", result.getRetries());
        check(state(captured).equals("Captured"), "the charge is Captured", captured);
        check(lastFault("captureCharge").getInt("fired") == 1, "the planned 503 was met once", null);
        final JSONObject refund = answer(client.createRefund(json("chargeId", chargeId, "refundAmount", yen(1000)),
                idempotent()), "createRefund", 201);
        check(state(refund).equals("RefundInitiated"), "the refund is RefundInitiated", refund);
        control("POST", "wait/for", json("duration", "1 day"));
        final JSONObject settled = answer(client.getRefund(refund.getString("refundId")), "getRefund", 200);
        check(state(settled).equals("Refunded"), "a day later the refund is Refunded", settled);
        final String permissionId = completed.getString("chargePermissionId");
        final JSONObject permission = answer(client.getChargePermission(permissionId), "getChargePermission", 200);
        check(permission.getString("chargePermissionId").equals(permissionId), "getChargePermission reads the permission",
              permission);
        check(state(permission).equals("Closed"), "the captured OneTime permission is Closed", permission);
        return permissionId;
    }

    static String recurring(final WebstoreClient client, final String storeId) throws Exception {
        final JSONObject session = answer(client.createCheckoutSession(json(
                "webCheckoutDetails", json("checkoutReviewReturnUrl", "https://shop.example/review",
                                           "checkoutResultReturnUrl", "https://shop.example/result"),
                "storeId", storeId, "chargePermissionType", "Recurring",
                "recurringMetadata", json("frequency", json("unit", "Month", "value", "1"), "amount", yen(980)),
                "paymentDetails", json("paymentIntent", "Authorize", "chargeAmount", yen(980))),
                idempotent()), "createCheckoutSession (Recurring)", 201);
        final String id = session.getString("checkoutSessionId");
        check(buyerPays(id).equals(id), "the Recurring return URL names the checkout", null);
        final JSONObject completed = answer(client.completeCheckoutSession(id, json("chargeAmount", yen(980))),
                "completeCheckoutSession (Recurring)", 200);
        final JSONObject first = answer(client.captureCharge(completed.getString("chargeId"),
                json("captureAmount", yen(980)), idempotent()), "captureCharge (first month)", 200);
        check(state(first).equals("Captured"), "the first month's charge is Captured", first);
        final String permissionId = completed.getString("chargePermissionId");
        final JSONObject permission = answer(client.getChargePermission(permissionId),
                "getChargePermission (Recurring)", 200);
        check(permission.getString("chargePermissionType").equals("Recurring"), "the permission is Recurring", permission);
        check(state(permission).equals("Chargeable"), "the Recurring permission is Chargeable", permission);
        control("POST", "wait/for", json("duration", "31 days"));
        final JSONObject next = answer(client.createCharge(json("chargePermissionId", permissionId,
                "chargeAmount", yen(980), "captureNow", true), idempotent()), "createCharge (next month)", 201);
        check(state(next).equals("Captured"), "next month's charge is Captured", next);
        final JSONObject closed = answer(client.closeChargePermission(permissionId,
                json("closureReason", "The subscription ended", "cancelPendingCharges", false)),
                "closeChargePermission", 200);
        check(state(closed).equals("Closed"), "the closed Recurring permission is Closed", closed);
        return permissionId;
    }

    /** Amazon Pay's button: the SDK signs the payload the cart page renders; the buyer's click creates the
     *  session. */
    static void button(final WebstoreClient client, final String storeId, final String algorithm) throws Exception {
        final String payload = json("webCheckoutDetails", json("checkoutReviewReturnUrl", "https://shop.example/review"),
                "storeId", storeId, "scopes", new JSONArray(List.of("name", "email", "shippingAddress"))).toString();
        final JSONObject click = control("POST", "buyer/click-button", json("payloadJSON", payload,
                "signature", client.generateButtonSignature(payload), "algorithm", algorithm,
                "publicKeyId", setting("AMAZON_PAY_PUBLIC_KEY_ID", null)));
        final String id = click.getString("checkoutSessionId");
        check(click.getString("redirectUrl").equals("https://shop.example/review?amazonCheckoutSessionId=" + id),
              "the signed button sends the buyer to the review page", click);
        final JSONObject session = answer(client.getCheckoutSession(id), "getCheckoutSession (button)", 200);
        check(session.getString("storeId").equals(storeId) && state(session).equals("Open"),
              "the button's session is Open for the store", session);
    }

    /** A report requested, then found by Get Reports with a query (a type and a time with colons to encode). */
    static void reports(final WebstoreClient client) throws Exception {
        final Instant now = OffsetDateTime.parse(control("GET", "clock", null).getString("now")).toInstant();
        final DateTimeFormatter compact = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        final String type = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_";
        final JSONObject report = answer(client.createReport(json("reportType", type,
                "startTime", compact.format(now.minus(Duration.ofDays(40))), "endTime", compact.format(now)),
                idempotent()), "createReport", 201);
        final JSONObject listed = answer(client.getReports(Map.of("reportTypes", List.of(type),
                "createdSince", List.of(DateTimeFormatter.ISO_INSTANT.format(now.minusSeconds(60))))),
                "getReports (reportTypes, createdSince)", 200);
        final JSONArray found = listed.getJSONArray("reports");
        boolean listedIt = false;
        for (int i = 0; i < found.length(); i++) {
            listedIt |= found.getJSONObject(i).getString("reportId").equals(report.getString("reportId"));
        }
        check(listedIt, "getReports lists the requested report", listed);
    }

    /** The transaction view's rows of a Charge Permission: status, authorized, captured, refunded. */
    static List<List<String>> rows(final String permissionId) throws Exception {
        final JSONArray all = control("GET", "transactions", null).getJSONArray("transactions");
        final List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < all.length(); i++) {
            final JSONObject row = all.getJSONObject(i);
            if (row.getString("chargePermissionId").equals(permissionId)) {
                rows.add(List.of(row.getString("status"), row.getJSONObject("authorized").getString("amount"),
                                 row.getJSONObject("captured").getString("amount"),
                                 row.getJSONObject("refunded").getString("amount")));
            }
        }
        return rows;
    }

    public static void main(final String[] arguments) throws Exception {
        final String algorithm = setting("AMAZON_PAY_ALGORITHM", "AMZN-PAY-RSASSA-PSS-V2");
        final String override = setting("AMAZON_PAY_OVERRIDE_SERVICE_URL", "");
        final String proxy = setting("AMAZON_PAY_PROXY", "");
        final PayConfiguration configuration = new Configuration(override.isEmpty() ? null : override)
                .setPublicKeyId(setting("AMAZON_PAY_PUBLIC_KEY_ID", null))
                .setRegion(Region.JP)
                .setEnvironment(Environment.SANDBOX)
                .setAlgorithm(algorithm)
                .setPrivateKey(Files.readString(Path.of(setting("AMAZON_PAY_PRIVATE_KEY", null))).toCharArray());
        if (!proxy.isEmpty()) {
            final String[] hostPort = proxy.split(":");
            // the SDK sends proxy credentials only when the proxy asks; it needs a user name regardless
            configuration.setProxySettings(new ProxySettings().setProxyHost(hostPort[0])
                    .setProxyPort(Integer.valueOf(hostPort[1])).setProxyUser("merchant")
                    .setProxyPassword("unused".toCharArray()));
        }
        final WebstoreClient client = new WebstoreClient(configuration);
        final String storeId = setting("AMAZON_PAY_STORE_ID", "amzn1.application-oa2-client.sdk-recipe");

        final List<List<String>> oneTime = rows(oneTime(client, storeId));
        check(oneTime.equals(List.of(List.of("Closed", "5000", "5000", "1000"))),
              "the transaction view shows the OneTime order Closed: 5000 authorized and captured, 1000 refunded",
              oneTime);
        final List<List<String>> monthly = rows(recurring(client, storeId));
        final List<String> month = List.of("Closed", "980", "980", "0");
        check(monthly.equals(List.of(month, month)),
              "the transaction view shows both Recurring charges Closed, 980 captured each", monthly);
        button(client, storeId, algorithm);
        reports(client);
        final String route = !override.isEmpty() ? "overrideServiceURL=" + override
                : !proxy.isEmpty() ? "ProxySettings " + proxy : "Amazon's host";
        System.out.println("PASS Java SDK " + ServiceConstants.APPLICATION_LIBRARY_VERSION
                           + " (Java " + System.getProperty("java.version") + ", " + algorithm + ", " + route + ")");
    }
}
