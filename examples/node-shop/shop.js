'use strict';
/*
 * A small shop on the official Amazon Pay Node SDK, unmodified, that the harness drives through
 * its HTTP merchant adapter (docs/merchant-adapter.md, "The HTTP form").
 *
 * The shop keeps its orders in memory and calls Amazon Pay only through the SDK. Run by the
 * harness's conformance test as:
 *
 *   HTTPS_PROXY=http://127.0.0.1:<server port> SHOP_PORT=0 AMAZON_PAY_ALGORITHM=AMZN-PAY-RSASSA-PSS-V2 node shop.js
 *
 * It prints "node-shop listening on http://127.0.0.1:<port>" once it listens. The harness's
 * adapter base URL is http://127.0.0.1:<port>/harness; the buyer's browser comes back to
 * /checkout/result. Errors Amazon answers are recorded on the order, never thrown.
 *
 * The standard flow with Amazon Pay's button: POST /harness/buttons answers the button's
 * createCheckoutSessionConfig (the payload signed with the SDK's generateButtonSignature); Amazon
 * sends the buyer to /checkout/review, which adds shipping by prefecture, updates the session and
 * redirects the buyer to amazonPayRedirectUrl.
 *
 * POST /harness/notifications is the shop's IPN endpoint: it verifies the SNS signature, then reads
 * the object the message names. Calls Amazon answers 408, 425, 429 or 5xx, or whose connection is
 * lost, are sent again (3 times at most) with the same idempotency key. POST /harness/reports and
 * GET /harness/reports/<id> are its accounting job: it requests the settlement report, then downloads
 * the file once Amazon has made it.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const axios = require('axios');
const { WebStoreClient } = require('@amazonpay/amazon-pay-api-sdk-nodejs');

const HOST = '127.0.0.1';
const ALGORITHM = process.env.AMAZON_PAY_ALGORITHM || 'AMZN-PAY-RSASSA-PSS';
const CHARGE_STATUS = {
  AuthorizationInitiated: 'authorizing', Authorized: 'authorized', CaptureInitiated: 'capturing',
  Captured: 'captured', Canceled: 'canceled', Declined: 'declined',
};

const SHIPPING_FEES = { '北海道': 1000, '沖縄県': 1500 };   // shop logic: other prefectures ship free

// Like the PHP and Java SDKs (the Node SDK resends nothing): 408, 425, 429 and 5xx answers and lost
// connections are sent again, at most 3 times, with the same idempotency key; but not a decline
// (a 500 ProcessingFailure is an answer about the payment, not a failure to answer).
const RETRIED_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const NOT_RETRIED = new Set(['ProcessingFailure']);
const RETRIES = 3;
const RETRY_WAIT_MS = 20;

// SNS signs what it sends: the hosts a SigningCertURL may name, and the hash of each SignatureVersion
const SNS_CERT_HOST = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;
const SNS_HASHES = { 1: 'RSA-SHA1', 2: 'RSA-SHA256' };
const SNS_SIGNED = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];

let client = null;
let storeId = null;
let publicKeyId = null;
let orders = new Map();
let accounting = { record: { errors: [], retried: [] } };   // the report calls' errors, not an order's
let shopUrl = null;
const certificates = new Map();           // SigningCertURL -> PEM, fetched once

class Answered extends Error {}            // Amazon answered an error; it is on the order already
class Redirect {                          // a page that sends the buyer's browser on
  constructor(location) { this.location = location; }
}
class Status {                            // an answer with no body but its status
  constructor(status) { this.status = status; }
}
class Refused extends Error {             // the harness asked for something the shop cannot do
  constructor(status, error, message) { super(message); this.status = status; this.error = error; }
}

function idempotent() { return { 'x-amz-pay-idempotency-key': crypto.randomUUID().replace(/-/g, '') }; }

function received(operation, error) {
  const response = error.response;
  if (!response) {
    return { operation, status: 0, reasonCode: String(error.code || error.name), message: String(error.message) };
  }
  const body = response.data || {};
  return { operation, status: response.status, reasonCode: String(body.reasonCode || ''),
    message: String(body.message || '') };
}

// `request` sends the same call each time (the caller made its idempotency key once)
async function call(order, operation, request) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return (await request()).data;
    } catch (error) {
      const answer = received(operation, error);
      const retried = answer.status === 0
        || (RETRIED_STATUSES.has(answer.status) && !NOT_RETRIED.has(answer.reasonCode));
      if (!retried || attempt === RETRIES) {
        order.record.errors.push(answer);
        throw new Answered();
      }
      order.record.retried.push(answer);
      await new Promise((resolve) => setTimeout(resolve, RETRY_WAIT_MS * 2 ** attempt));
    }
  }
}

async function stopAtError(action) {
  try { await action(); } catch (error) { if (!(error instanceof Answered)) throw error; }
}

function find(orderId) {
  const order = orders.get(orderId);
  if (!order) throw new Refused(404, 'UnknownOrder', `the shop has no order ${orderId}`);
  return order;
}

function need(order, field, what) {
  const value = order.record[field];
  if (!value) throw new Refused(409, 'NotPossible',
    `the shop's order ${order.record.orderId} has no ${what} (it is ${order.record.status})`);
  return value;
}

function takeCharge(order, charge) {
  const status = CHARGE_STATUS[charge.statusDetails.state];
  if (!(status === 'captured' && order.record.status === 'refunded')) order.record.status = status;
}

async function readCharge(order, operation) {
  const chargeId = order.record.chargeId;
  takeCharge(order, await call(order, operation, () => client.getCharge(chargeId)));
}

async function takeIds(order, session) {
  order.record.chargePermissionId = session.chargePermissionId || null;
  order.record.chargeId = session.chargeId || null;
  if (order.record.chargeId === null) order.record.status = 'confirmed';
  else await readCharge(order, 'getCharge');
}

async function complete(order, operation) {
  const payload = { chargeAmount: order.total };
  if (order.request.totalOrderAmount) payload.totalOrderAmount = order.request.totalOrderAmount;
  const headers = idempotent();
  let session;
  try {
    session = await call(order, operation,
      () => client.completeCheckoutSession(order.record.checkoutSessionId, payload, headers));
  } catch (error) {
    const last = order.record.errors[order.record.errors.length - 1];
    if (error instanceof Answered && last.reasonCode === 'InvalidCheckoutSessionStatus') {
      // Completed or Canceled (Amazon's FAQ): a Canceled session means the payment failed
      const current = await call(order, 'getCheckoutSession',
        () => client.getCheckoutSession(order.record.checkoutSessionId));
      if (current.statusDetails.state === 'Canceled') order.record.status = 'failed';
    }
    throw error;
  }
  await takeIds(order, session);
}

async function createCharge(order, amount, captureNow) {
  const permissionId = need(order, 'chargePermissionId', 'charge permission');
  const headers = idempotent();
  const charge = await call(order, 'createCharge', () => client.createCharge({
    chargePermissionId: permissionId, chargeAmount: amount, captureNow,
    canHandlePendingAuthorization: order.request.canHandlePendingAuthorization }, headers));
  order.record.chargeId = charge.chargeId;
  takeCharge(order, charge);
}

// --- the adapter contract -------------------------------------------------------------------

function reset(body) {
  client = new WebStoreClient({ publicKeyId: body.publicKeyId, privateKey: body.privateKey,
    region: body.region, sandbox: body.sandbox, algorithm: ALGORITHM });
  storeId = body.storeId;
  publicKeyId = body.publicKeyId;
  orders = new Map();
  accounting = { record: { errors: [], retried: [] } };
  return {};
}

function newOrder(body) {
  const orderId = body.orderId;
  if (orders.has(orderId)) throw new Refused(409, 'DuplicateOrder', `the shop already has an order ${orderId}`);
  const order = { request: body, total: body.amount, record: { orderId, status: 'pending',
    checkoutSessionId: null, chargePermissionId: null, chargeId: null, errors: [], retried: [] } };
  orders.set(orderId, order);
  return order;
}

function page(name, orderId) { return `${shopUrl}/checkout/${name}?order=${encodeURIComponent(orderId)}`; }

function sessionPayload(body) {
  const payment = { paymentIntent: body.paymentIntent,
    canHandlePendingAuthorization: body.canHandlePendingAuthorization };
  if (body.allowOvercharge) payment.allowOvercharge = true;
  if (body.extendExpiration) payment.extendExpiration = true;
  const payload = {
    webCheckoutDetails: { checkoutReviewReturnUrl: page('review', body.orderId) },
    storeId, paymentDetails: payment,
    merchantMetadata: { merchantReferenceId: body.orderId, merchantStoreName: 'Node Shop' },
  };
  if (body.recurring) {
    payload.chargePermissionType = 'Recurring';
    payload.recurringMetadata = { frequency: { unit: 'Month', value: '1' }, amount: body.amount };
  }
  return payload;
}

async function startCheckout(body) {
  const order = newOrder(body);
  const payload = sessionPayload(body);
  payload.webCheckoutDetails.checkoutResultReturnUrl = page('result', body.orderId);
  payload.paymentDetails.chargeAmount = body.amount;
  if (body.totalOrderAmount) payload.paymentDetails.totalOrderAmount = body.totalOrderAmount;
  const headers = idempotent();
  await stopAtError(async () => {
    const session = await call(order, 'createCheckoutSession',
      () => client.createCheckoutSession(payload, headers));
    order.record.checkoutSessionId = session.checkoutSessionId;
  });
  return { checkoutSessionId: order.record.checkoutSessionId };
}

// the cart page: what it passes to amazon.Pay.renderButton as createCheckoutSessionConfig
function button(body) {
  newOrder(body);
  const payloadJSON = JSON.stringify({ ...sessionPayload(body), scopes: ['name', 'email', 'shippingAddress'] });
  const config = { payloadJSON, signature: client.generateButtonSignature(payloadJSON), publicKeyId };
  if (ALGORITHM === 'AMZN-PAY-RSASSA-PSS-V2') config.algorithm = ALGORITHM;   // absent: the original
  return config;
}

// the review page: the buyer's address, shipping by prefecture, then on to Amazon to pay
async function review(query) {
  const order = find(query.get('order') || '');
  const sessionId = query.get('amazonCheckoutSessionId') || '';
  order.record.checkoutSessionId = sessionId;
  let redirect = null;
  await stopAtError(async () => {
    const session = await call(order, 'getCheckoutSession', () => client.getCheckoutSession(sessionId));
    const prefecture = (session.shippingAddress || {}).stateOrRegion || '';
    const amount = order.request.amount;
    order.total = { amount: String(Number(amount.amount) + (SHIPPING_FEES[prefecture] || 0)),
      currencyCode: amount.currencyCode };
    const payment = { chargeAmount: order.total };
    if (order.request.totalOrderAmount) payment.totalOrderAmount = order.request.totalOrderAmount;
    const updated = await call(order, 'updateCheckoutSession', () => client.updateCheckoutSession(sessionId, {
      webCheckoutDetails: { checkoutResultReturnUrl: page('result', order.record.orderId) },
      paymentDetails: payment }));
    redirect = updated.webCheckoutDetails.amazonPayRedirectUrl;
  });
  return redirect ? new Redirect(redirect) : { orderId: order.record.orderId, status: order.record.status };
}

async function result(query) {
  const order = find(query.get('order') || '');
  if (query.get('amazonCheckoutSessionId') !== order.record.checkoutSessionId) {
    throw new Refused(400, 'WrongCheckout', `the result page names another checkout than order ${order.record.orderId}`);
  }
  await stopAtError(() => complete(order, 'completeCheckoutSession'));
  return { orderId: order.record.orderId, status: order.record.status };
}

const ACTIONS = {
  async capture(order, body) {
    const amount = body.amount || order.total;
    await stopAtError(async () => {
      if (order.record.chargeId && order.record.status === 'authorized') {
        const chargeId = order.record.chargeId;
        const headers = idempotent();
        takeCharge(order, await call(order, 'captureCharge',
          () => client.captureCharge(chargeId, { captureAmount: amount }, headers)));
      } else {
        await createCharge(order, amount, true);
      }
    });
  },
  async charge(order, body) {
    await stopAtError(() => createCharge(order, body.amount, false));
  },
  async refund(order, body) {
    const chargeId = need(order, 'chargeId', 'charge to refund');
    const headers = idempotent();
    await stopAtError(async () => {
      await call(order, 'createRefund',
        () => client.createRefund({ chargeId, refundAmount: body.amount }, headers));
      order.record.status = 'refunded';
    });
  },
  async cancel(order) {
    const chargeId = need(order, 'chargeId', 'charge to cancel');
    await stopAtError(async () => takeCharge(order, await call(order, 'cancelCharge', () => client.cancelCharge(
      chargeId, { cancellationReason: `Order ${order.record.orderId} canceled by the shop` }))));
  },
  async close(order) {
    const permissionId = need(order, 'chargePermissionId', 'charge permission');
    await stopAtError(async () => {
      await call(order, 'closeChargePermission', () => client.closeChargePermission(permissionId,
        { closureReason: `Order ${order.record.orderId} closed by the shop`, cancelPendingCharges: false }));
      order.record.status = 'closed';
    });
  },
};

async function closedPermission(order, operation) {
  const permission = await call(order, operation,
    () => client.getChargePermission(order.record.chargePermissionId));
  if (permission.statusDetails.state === 'Closed') order.record.status = 'closed';
}

async function reconcileOne(order) {
  const record = order.record;
  if (record.status === 'pending' && record.checkoutSessionId) {
    let session;
    try {
      session = await call(order, 'reconcile: getCheckoutSession',
        () => client.getCheckoutSession(record.checkoutSessionId));
    } catch (error) {
      const last = record.errors[record.errors.length - 1];
      // past Amazon's 30-day retention the checkout is gone: it never completed
      if (error instanceof Answered && last.reasonCode === 'ResourceNotFound') record.status = 'failed';
      throw error;
    }
    const state = session.statusDetails.state;
    if (state === 'Open') await complete(order, 'reconcile: completeCheckoutSession');
    else if (state === 'Completed') await takeIds(order, session);
    else record.status = 'failed';
  } else if (record.chargeId) {
    await readCharge(order, 'reconcile: getCharge');
  }
  if (record.status === 'confirmed' && record.chargePermissionId) {
    await closedPermission(order, 'reconcile: getChargePermission');
  }
}

async function reconcile() {
  for (const order of orders.values()) await stopAtError(() => reconcileOne(order));
  return {};
}

// --- reports (the accounting job's settlement report) ---------------------------------------

// Amazon's compact UTC form, as the report samples write it: 20260101T000000Z
function reportTime(iso) { return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); }

async function requestReport(body) {
  const payload = { reportType: body.reportType, startTime: reportTime(body.startTime),
    endTime: reportTime(body.endTime) };
  const headers = idempotent();
  let reportId = null;
  await stopAtError(async () => {
    reportId = (await call(accounting, 'createReport', () => client.createReport(payload, headers))).reportId;
  });
  return { reportId };
}

// the report's file once it is COMPLETED: its document, then the document's pre-signed url
async function downloadReport(reportId) {
  let content = null;
  await stopAtError(async () => {
    const report = await call(accounting, 'getReportById', () => client.getReportById(reportId));
    if (report.processingStatus !== 'COMPLETED' || !report.reportDocumentId) return;
    const document = await call(accounting, 'getReportDocument',
      () => client.getReportDocument(report.reportDocumentId));
    content = await call(accounting, 'downloadReportDocument',
      () => axios.get(document.url, { responseType: 'text', transformResponse: [(data) => data] }));
  });
  return { content };
}

// --- Instant Payment Notifications (the shop's IPN endpoint) --------------------------------

async function certificate(url) {
  const where = new URL(url);
  if (where.protocol !== 'https:' || !SNS_CERT_HOST.test(where.hostname) || !where.pathname.endsWith('.pem')) {
    throw new Error(`SigningCertURL ${url} is not Amazon SNS's`);
  }
  if (!certificates.has(url)) {
    certificates.set(url, (await axios.get(url, { responseType: 'text', maxRedirects: 0 })).data);
  }
  return certificates.get(url);
}

// true when the SNS envelope is signed by the certificate its SigningCertURL names
async function verified(envelope) {
  const hash = SNS_HASHES[envelope.SignatureVersion];
  if (envelope.Type !== 'Notification' || !hash || !envelope.Signature || !envelope.SigningCertURL) return false;
  const signed = SNS_SIGNED.filter((key) => key !== 'Subject' || envelope.Subject != null)
    .map((key) => `${key}\n${envelope[key]}\n`).join('');
  const pem = await certificate(envelope.SigningCertURL);
  return crypto.verify(hash, Buffer.from(signed, 'utf8'), pem, Buffer.from(envelope.Signature, 'base64'));
}

// the message says what changed, not its state: read the object again (Amazon retries a non-2xx)
async function notified(envelope) {
  let message;
  try {
    if (!(await verified(envelope))) return 400;
    message = JSON.parse(envelope.Message);
  } catch (error) {
    return 400;                           // not Amazon's: unsigned, a certificate not SNS's, no message
  }
  const order = [...orders.values()].find((each) => each.record.chargePermissionId === message.ChargePermissionId);
  if (!order) return 200;                 // a checkout not completed yet: the return or reconcile takes it
  try {
    if (message.ObjectType === 'REFUND') {
      const refund = await call(order, 'notification: getRefund', () => client.getRefund(message.ObjectId));
      if (refund.chargeId === order.record.chargeId) await readCharge(order, 'notification: getCharge');
    } else if (message.ObjectType === 'CHARGE' && message.ObjectId === order.record.chargeId) {
      await readCharge(order, 'notification: getCharge');
    } else if (message.ObjectType === 'CHARGE_PERMISSION' && !order.record.chargeId) {
      await closedPermission(order, 'notification: getChargePermission');
    }
  } catch (error) {
    if (error instanceof Answered) return 500;
    throw error;
  }
  return 200;
}

// --- HTTP -----------------------------------------------------------------------------------

async function route(method, url, body) {
  const path = url.pathname;
  if (method === 'GET' && path === '/checkout/result') return result(url.searchParams);
  if (method === 'GET' && path === '/checkout/review') return review(url.searchParams);
  if (!client && path !== '/harness/reset') throw new Refused(409, 'NotReset', 'POST /harness/reset first');
  if (method === 'POST' && path === '/harness/reset') return reset(body);
  if (method === 'POST' && path === '/harness/checkouts') return startCheckout(body);
  if (method === 'POST' && path === '/harness/buttons') return button(body);
  if (method === 'POST' && path === '/harness/reconcile') return reconcile();
  if (method === 'POST' && path === '/harness/notifications') return new Status(await notified(body));
  if (method === 'POST' && path === '/harness/reports') return requestReport(body);
  const report = path.match(/^\/harness\/reports\/([^/]+)$/);
  if (report && method === 'GET') return downloadReport(decodeURIComponent(report[1]));
  const match = path.match(/^\/harness\/orders\/([^/]+)(?:\/([a-z]+))?$/);
  if (match && method === 'GET' && !match[2]) return find(decodeURIComponent(match[1])).record;
  if (match && method === 'POST' && ACTIONS[match[2]]) {
    const order = find(decodeURIComponent(match[1]));
    await ACTIONS[match[2]](order, body);
    return {};
  }
  throw new Refused(404, 'UnknownRoute', `no ${method} ${path} in the adapter contract`);
}

function send(response, status, data) {
  const text = JSON.stringify(data);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : {};
      const answer = await route(request.method, new URL(request.url, shopUrl), body || {});
      if (answer instanceof Status) {
        send(response, answer.status, {});
      } else if (answer instanceof Redirect) {
        response.writeHead(303, { location: answer.location, 'content-length': 0 });
        response.end();
      } else {
        send(response, 200, answer);
      }
    } catch (error) {
      if (error instanceof Refused) send(response, error.status, { error: error.error, message: error.message });
      else if (error instanceof SyntaxError) send(response, 400, { error: 'BadJson', message: error.message });
      else send(response, 500, { error: 'ShopError', message: String(error && error.stack || error) });
    }
  });
});

server.listen(Number(process.env.SHOP_PORT || 0), HOST, () => {
  shopUrl = `http://${HOST}:${server.address().port}`;
  console.log(`node-shop listening on ${shopUrl} (algorithm ${ALGORITHM})`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
