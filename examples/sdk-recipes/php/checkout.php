<?php
// A merchant's checkout on the unmodified Amazon Pay PHP SDK (amzn/amazon-pay-api-sdk-php), run against
// `harness serve`: OneTime (create, sign-in, get, update, pay, return, complete, capture, refund, the
// Charge Permission) and Recurring (a second charge on the permission), then the transaction view.
//
//   php checkout.php SDK            SDK: composer's vendor/autoload.php, or the SDK's folder (the one
//                                   holding Amazon/Pay/API; phpseclib3 then comes from PHPSECLIB_AUTOLOAD)
// Environment (examples/sdk-recipes/README.md): HARNESS_URL, AMAZON_PAY_PUBLIC_KEY_ID,
// AMAZON_PAY_PRIVATE_KEY (a PEM file), AMAZON_PAY_ALGORITHM, AMAZON_PAY_OVERRIDE_SERVICE_URL (optional;
// without it the SDK calls Amazon's host and HTTPS_PROXY with curl.cainfo bring it to the harness).
// Prints one "ok" line per check and "PASS ..." at the end; exits 1 at the first failed check.

declare(strict_types=1);

function setting(string $name, ?string $default = null): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        if ($default === null) {
            fail("set $name (examples/sdk-recipes/README.md)");
        }
        return $default;
    }
    return $value;
}

function fail(string $message): void
{
    fwrite(STDERR, "FAIL $message\n");
    exit(1);
}

function check(bool $condition, string $what, $detail = null): void
{
    if (!$condition) {
        fail($what . ($detail === null ? '' : ': ' . json_encode($detail, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)));
    }
    echo "ok $what\n";
}

/** Make the SDK's classes loadable: composer's autoloader, or PSR-4 over the SDK's own folder. */
function load_sdk(string $location): void
{
    if (is_file($location)) {
        require $location;
        return;
    }
    if (!is_dir("$location/Amazon/Pay/API")) {
        fail("$location is neither vendor/autoload.php nor a folder holding Amazon/Pay/API");
    }
    require setting('PHPSECLIB_AUTOLOAD', '/usr/share/php/phpseclib3/autoload.php');
    spl_autoload_register(function (string $class) use ($location): void {
        $prefix = 'Amazon\\Pay\\API\\';
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = "$location/Amazon/Pay/API/" . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
        }
    });
}

/** A call to the harness's control API (plain HTTP to the server itself, never through a proxy). */
function control(string $method, string $path, ?array $body = null): array
{
    $curl = curl_init(rtrim(setting('HARNESS_URL', 'http://127.0.0.1:8080'), '/') . "/_harness/$path");
    curl_setopt_array($curl, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_PROXY => '',
                              CURLOPT_NOPROXY => '*', CURLOPT_HTTPHEADER => ['content-type: application/json']]);
    if ($body !== null) {
        curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($body));
    }
    $answer = curl_exec($curl);
    $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    if ($answer === false || $status !== 200) {
        fail("control $method $path answered $status: " . ($answer === false ? curl_error($curl) : $answer));
    }
    return json_decode($answer, true);
}

/** The JSON of an SDK answer, after checking its status and that it carried x-amz-pay-request-id. */
function answer(array $result, string $operation, int $status = 200): array
{
    check($result['status'] === $status, "$operation answered $status", $result['response']);
    check(!empty($result['request_id']), "$operation answer carries x-amz-pay-request-id");
    return json_decode($result['response'], true);
}

function yen(int $amount): array
{
    return ['amount' => (string) $amount, 'currencyCode' => 'JPY'];
}

/** The buyer, through the control API: sign in, pay with a test card, come back; the return URL's id. */
function buyer_pays(string $sessionId): string
{
    control('POST', 'buyer/pay', ['checkoutSessionId' => $sessionId, 'card' => '1111']);
    $redirect = control('POST', 'buyer/return', ['checkoutSessionId' => $sessionId])['redirectUrl'];
    parse_str((string) parse_url($redirect, PHP_URL_QUERY), $query);
    check(str_starts_with($redirect, 'https://shop.example/result?'), 'the buyer is sent to the result page', $redirect);
    return $query['amazonCheckoutSessionId'] ?? '';
}

function one_time(\Amazon\Pay\API\Client $client, string $storeId): string
{
    $session = answer($client->createCheckoutSession([
        'webCheckoutDetails' => ['checkoutReviewReturnUrl' => 'https://shop.example/review'],
        'storeId' => $storeId,
        'chargePermissionType' => 'OneTime',
    ], ['x-amz-pay-idempotency-key' => uniqid('php-create-')]), 'createCheckoutSession', 201);
    $id = $session['checkoutSessionId'];
    control('POST', 'buyer/sign-in', ['checkoutSessionId' => $id]);
    $read = answer($client->getCheckoutSession($id), 'getCheckoutSession');
    check($read['statusDetails']['state'] === 'Open', 'the signed-in session is Open', $read['statusDetails']);
    check(!empty($read['buyer']['buyerId']), 'the session names the signed-in buyer', $read['buyer']);
    $updated = answer($client->updateCheckoutSession($id, [
        'webCheckoutDetails' => ['checkoutResultReturnUrl' => 'https://shop.example/result'],
        'paymentDetails' => ['paymentIntent' => 'Authorize', 'chargeAmount' => yen(5000)],
        'merchantMetadata' => ['merchantReferenceId' => uniqid('order-'), 'merchantStoreName' => 'SDK recipe (PHP)'],
    ]), 'updateCheckoutSession');
    check(!empty($updated['webCheckoutDetails']['amazonPayRedirectUrl']), 'the update gives amazonPayRedirectUrl');
    check(buyer_pays($id) === $id, 'the return URL names the checkout');
    $completed = answer($client->completeCheckoutSession($id, ['chargeAmount' => yen(5000)]), 'completeCheckoutSession');
    check($completed['statusDetails']['state'] === 'Completed', 'the session is Completed', $completed['statusDetails']);
    $chargeId = $completed['chargeId'];
    // the connection drops before Amazon answers: the SDK does not resend, the shop gets an exception
    control('POST', 'faults', ['operation' => 'getCharge', 'kind' => 'drop']);
    try {
        $client->getCharge($chargeId);
        fail('getCharge answered although the connection was dropped');
    } catch (\Exception $dropped) {
        check(str_starts_with($dropped->getMessage(), 'Unable to send request'),
            'a dropped connection reaches the shop as an exception', $dropped->getMessage());
    }
    $charge = answer($client->getCharge($chargeId), 'getCharge');
    check($charge['statusDetails']['state'] === 'Authorized', 'the charge is Authorized', $charge['statusDetails']);
    // Amazon captures but its answer is lost (a 503): the SDK resends the same signed request, same key
    control('POST', 'faults', ['operation' => 'captureCharge', 'kind' => 'ServiceUnavailable', 'afterProcessing' => true]);
    $result = $client->captureCharge($chargeId, ['captureAmount' => yen(5000)],
        ['x-amz-pay-idempotency-key' => uniqid('php-capture-')]);
    $captured = answer($result, 'captureCharge');
    check($result['retries'] === 1, 'the SDK retried the 503 once', $result['retries']);
    check($captured['statusDetails']['state'] === 'Captured', 'the charge is Captured', $captured['statusDetails']);
    $fault = array_slice(control('GET', 'faults')['faults'], -1)[0];
    check([$fault['operation'], $fault['fired']] === ['captureCharge', 1], 'the planned 503 was met once', $fault);
    $refund = answer($client->createRefund(['chargeId' => $chargeId, 'refundAmount' => yen(1000)],
        ['x-amz-pay-idempotency-key' => uniqid('php-refund-')]), 'createRefund', 201);
    check($refund['statusDetails']['state'] === 'RefundInitiated', 'the refund is RefundInitiated', $refund['statusDetails']);
    control('POST', 'wait/for', ['duration' => '1 day']);
    $settled = answer($client->getRefund($refund['refundId']), 'getRefund');
    check($settled['statusDetails']['state'] === 'Refunded', 'a day later the refund is Refunded', $settled['statusDetails']);
    $permissionId = $completed['chargePermissionId'];
    $permission = answer($client->getChargePermission($permissionId), 'getChargePermission');
    check($permission['chargePermissionId'] === $permissionId, 'getChargePermission reads the permission');
    check($permission['statusDetails']['state'] === 'Closed', 'the captured OneTime permission is Closed',
        $permission['statusDetails']);
    return $permissionId;
}

function recurring(\Amazon\Pay\API\Client $client, string $storeId): string
{
    $session = answer($client->createCheckoutSession([
        'webCheckoutDetails' => ['checkoutReviewReturnUrl' => 'https://shop.example/review',
                                 'checkoutResultReturnUrl' => 'https://shop.example/result'],
        'storeId' => $storeId,
        'chargePermissionType' => 'Recurring',
        'recurringMetadata' => ['frequency' => ['unit' => 'Month', 'value' => '1'], 'amount' => yen(980)],
        'paymentDetails' => ['paymentIntent' => 'Authorize', 'chargeAmount' => yen(980)],
    ], ['x-amz-pay-idempotency-key' => uniqid('php-recurring-')]), 'createCheckoutSession (Recurring)', 201);
    $id = $session['checkoutSessionId'];
    check(buyer_pays($id) === $id, 'the Recurring return URL names the checkout');
    $completed = answer($client->completeCheckoutSession($id, ['chargeAmount' => yen(980)]),
        'completeCheckoutSession (Recurring)');
    $first = answer($client->captureCharge($completed['chargeId'], ['captureAmount' => yen(980)],
        ['x-amz-pay-idempotency-key' => uniqid('php-month-1-')]), 'captureCharge (first month)');
    check($first['statusDetails']['state'] === 'Captured', "the first month's charge is Captured", $first['statusDetails']);
    $permissionId = $completed['chargePermissionId'];
    $permission = answer($client->getChargePermission($permissionId), 'getChargePermission (Recurring)');
    check($permission['chargePermissionType'] === 'Recurring', 'the permission is Recurring', $permission);
    check($permission['statusDetails']['state'] === 'Chargeable', 'the Recurring permission is Chargeable',
        $permission['statusDetails']);
    control('POST', 'wait/for', ['duration' => '31 days']);
    $next = answer($client->createCharge(['chargePermissionId' => $permissionId, 'chargeAmount' => yen(980),
                                          'captureNow' => true],
        ['x-amz-pay-idempotency-key' => uniqid('php-month-2-')]), 'createCharge (next month)', 201);
    check($next['statusDetails']['state'] === 'Captured', "next month's charge is Captured", $next['statusDetails']);
    $closed = answer($client->closeChargePermission($permissionId, ['closureReason' => 'The subscription ended',
                                                                    'cancelPendingCharges' => false]), 'closeChargePermission');
    check($closed['statusDetails']['state'] === 'Closed', 'the closed Recurring permission is Closed', $closed['statusDetails']);
    return $permissionId;
}

/** Amazon Pay's button: the SDK signs the payload the cart page renders (json_encode escapes its slashes,
 * generateButtonSignature signs the unescaped form); the buyer's click creates the session. */
function button(\Amazon\Pay\API\Client $client, string $storeId, string $algorithm): void
{
    $payload = json_encode(['webCheckoutDetails' => ['checkoutReviewReturnUrl' => 'https://shop.example/review'],
                            'storeId' => $storeId, 'scopes' => ['name', 'email', 'shippingAddress']]);
    $click = control('POST', 'buyer/click-button', ['payloadJSON' => $payload, 'algorithm' => $algorithm,
        'signature' => $client->generateButtonSignature($payload), 'publicKeyId' => setting('AMAZON_PAY_PUBLIC_KEY_ID')]);
    $id = $click['checkoutSessionId'];
    check($click['redirectUrl'] === "https://shop.example/review?amazonCheckoutSessionId=$id",
        'the signed button sends the buyer to the review page', $click);
    $session = answer($client->getCheckoutSession($id), 'getCheckoutSession (button)');
    check([$session['storeId'], $session['statusDetails']['state']] === [$storeId, 'Open'],
        "the button's session is Open for the store", $session);
}

/** A report requested, then found by Get Reports with a query (a type and a time with colons to encode). */
function reports(\Amazon\Pay\API\Client $client): void
{
    $now = strtotime(control('GET', 'clock')['now']);
    $type = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
    $report = answer($client->createReport(['reportType' => $type, 'startTime' => gmdate('Ymd\THis\Z', $now - 86400 * 40),
                                            'endTime' => gmdate('Ymd\THis\Z', $now)],
        ['x-amz-pay-idempotency-key' => uniqid('php-report-')]), 'createReport', 201);
    $listed = answer($client->getReports(['reportTypes' => $type, 'createdSince' => gmdate('Y-m-d\TH:i:s\Z', $now - 60)]),
        'getReports (reportTypes, createdSince)');
    check(in_array($report['reportId'], array_column($listed['reports'], 'reportId'), true),
        'getReports lists the requested report', $listed);
}

/** The transaction view's rows of a Charge Permission (one for a OneTime order, one a charge when Recurring). */
function rows(string $permissionId): array
{
    $rows = array_values(array_filter(control('GET', 'transactions')['transactions'],
        fn (array $row): bool => $row['chargePermissionId'] === $permissionId));
    return array_map(fn (array $row): array => [$row['status'], $row['authorized']['amount'],
                                                $row['captured']['amount'], $row['refunded']['amount']], $rows);
}

load_sdk($argv[1] ?? setting('AMAZON_PAY_PHP_SDK'));
$algorithm = setting('AMAZON_PAY_ALGORITHM', 'AMZN-PAY-RSASSA-PSS-V2');
$config = ['public_key_id' => setting('AMAZON_PAY_PUBLIC_KEY_ID'), 'private_key' => setting('AMAZON_PAY_PRIVATE_KEY'),
           'region' => 'jp', 'sandbox' => true, 'algorithm' => $algorithm];
$override = getenv('AMAZON_PAY_OVERRIDE_SERVICE_URL');
if ($override !== false && $override !== '') {
    $config['override_service_url'] = $override;
}
$client = new \Amazon\Pay\API\Client($config);
$storeId = setting('AMAZON_PAY_STORE_ID', 'amzn1.application-oa2-client.sdk-recipe');

$oneTime = rows(one_time($client, $storeId));
check($oneTime === [['Closed', '5000', '5000', '1000']],
      'the transaction view shows the OneTime order Closed: 5000 authorized and captured, 1000 refunded', $oneTime);
$monthly = rows(recurring($client, $storeId));
check($monthly === [['Closed', '980', '980', '0'], ['Closed', '980', '980', '0']],
      'the transaction view shows both Recurring charges Closed, 980 captured each', $monthly);
button($client, $storeId, $algorithm);
reports($client);
$route = isset($config['override_service_url']) ? "override_service_url=$override" : 'HTTPS_PROXY=' . getenv('HTTPS_PROXY');
echo "PASS PHP SDK " . \Amazon\Pay\API\Client::SDK_VERSION . " (PHP " . PHP_VERSION . ", $algorithm, $route)\n";
