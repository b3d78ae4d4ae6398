use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};

use super::{decode_event, EventError, Verifier};

const SECRET: &str = "s3cr3t-shared-key";

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Event {
    id: i64,
    direction: String,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn sign(alg: Algorithm, secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn event() -> Value {
    json!({"id": 42, "direction": "inbound", "text": "hi"})
}

fn jwt() -> Verifier {
    Verifier::jwt_hs256(SECRET).unwrap()
}

fn decode(body: &str, verifier: &Verifier) -> Result<Event, EventError> {
    decode_event(&HeaderMap::new(), body.as_bytes(), verifier)
}

#[test]
fn signed_event_decodes() {
    let token = sign(Algorithm::HS256, SECRET, &event());
    let got = decode(&format!("{token}\n"), &jwt()).unwrap();
    assert_eq!(
        got,
        Event {
            id: 42,
            direction: "inbound".into()
        }
    );
}

#[test]
fn exp_and_nbf_in_range_are_accepted() {
    let mut claims = event();
    claims["exp"] = json!(now() + 300);
    claims["nbf"] = json!(now() - 300);
    let token = sign(Algorithm::HS256, SECRET, &claims);
    assert_eq!(decode(&token, &jwt()).unwrap().id, 42);
}

#[test]
fn other_secret_and_tampering_are_bad_signatures() {
    let token = sign(Algorithm::HS256, "another-secret", &event());
    assert!(matches!(
        decode(&token, &jwt()),
        Err(EventError::BadSignature)
    ));

    let token = sign(Algorithm::HS256, SECRET, &event());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = b64url(br#"{"id":43,"direction":"inbound","text":"hi"}"#);
    let err = decode(&parts.join("."), &jwt()).unwrap_err();
    assert!(matches!(err, EventError::BadSignature), "{err:?}");
    assert_eq!(err.status(), 401);
}

#[test]
fn only_hs256_is_accepted() {
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(event().to_string().as_bytes())
    );
    let err = decode(&none, &jwt()).unwrap_err();
    assert!(
        matches!(&err, EventError::AlgorithmNotAllowed(a) if a == "none"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "algorithm \"none\" refused: only HS256 is accepted"
    );

    let hs384 = sign(Algorithm::HS384, SECRET, &event());
    let err = decode(&hs384, &jwt()).unwrap_err();
    assert!(
        matches!(&err, EventError::AlgorithmNotAllowed(a) if a == "HS384"),
        "{err:?}"
    );

    // An RS256 header with an HMAC made from the secret: the algorithm-confusion attack.
    let hs = sign(Algorithm::HS256, SECRET, &event());
    let signature = hs.rsplit('.').next().unwrap();
    let rs = format!(
        "{}.{}.{signature}",
        b64url(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64url(event().to_string().as_bytes())
    );
    let err = decode(&rs, &jwt()).unwrap_err();
    assert!(
        matches!(&err, EventError::AlgorithmNotAllowed(a) if a == "RS256"),
        "{err:?}"
    );
    assert_eq!(err.status(), 401);

    // An unknown name is echoed cut short, never at full length.
    let long = format!(
        "{}.{}.",
        b64url(format!(r#"{{"alg":"{}"}}"#, "X".repeat(500)).as_bytes()),
        b64url(b"{}")
    );
    match decode(&long, &jwt()).unwrap_err() {
        EventError::AlgorithmNotAllowed(a) => assert_eq!(a.len(), 32),
        other => panic!("{other:?}"),
    }
}

#[test]
fn exp_and_nbf_are_honoured() {
    let mut claims = event();
    claims["exp"] = json!(now() - 3600);
    let err = decode(&sign(Algorithm::HS256, SECRET, &claims), &jwt()).unwrap_err();
    assert!(matches!(err, EventError::Expired), "{err:?}");

    let mut claims = event();
    claims["nbf"] = json!(now() + 3600);
    let err = decode(&sign(Algorithm::HS256, SECRET, &claims), &jwt()).unwrap_err();
    assert!(matches!(err, EventError::NotYetValid), "{err:?}");

    // Within the leeway, and then not once the leeway is zero.
    let mut claims = event();
    claims["exp"] = json!(now() - 10);
    let token = sign(Algorithm::HS256, SECRET, &claims);
    assert!(decode(&token, &jwt()).is_ok());
    let strict = jwt().leeway(Duration::ZERO);
    assert!(matches!(decode(&token, &strict), Err(EventError::Expired)));
}

#[test]
fn plain_json_needs_no_secret_and_is_refused_with_one() {
    let body = event().to_string();
    assert_eq!(decode(&body, &Verifier::unsigned()).unwrap().id, 42);
    let err = decode(&body, &jwt()).unwrap_err();
    assert!(matches!(err, EventError::MissingSignature(_)), "{err:?}");
    assert_eq!(err.status(), 401);
}

#[test]
fn a_jwt_without_a_secret_is_unverifiable() {
    let token = sign(Algorithm::HS256, SECRET, &event());
    let err = decode(&token, &Verifier::unsigned()).unwrap_err();
    assert!(matches!(err, EventError::Unverifiable), "{err:?}");
    assert_eq!(err.status(), 401);
}

#[test]
fn oversized_bodies_are_refused_before_parsing() {
    let verifier = jwt().max_body(16);
    // Not a JWT either: the size is what is reported.
    let err = decode(&"x".repeat(17), &verifier).unwrap_err();
    assert!(
        matches!(
            err,
            EventError::TooLarge {
                limit: 16,
                actual: 17
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), 413);
    let default = Verifier::unsigned();
    assert_eq!(default.max_body_bytes(), 1024 * 1024);
    let body = format!(
        r#"{{"id":1,"direction":"inbound","pad":"{}"}}"#,
        "x".repeat(1024 * 1024)
    );
    assert!(matches!(
        decode(&body, &default),
        Err(EventError::TooLarge { .. })
    ));
}

#[test]
fn payloads_that_are_not_events_are_bad_requests() {
    let err = decode(r#"{"hello":"world"}"#, &Verifier::unsigned()).unwrap_err();
    assert!(matches!(err, EventError::NotAnEvent(_)), "{err:?}");
    assert_eq!(err.status(), 400);
    let token = sign(Algorithm::HS256, SECRET, &json!({"hello": "world"}));
    assert!(matches!(
        decode(&token, &jwt()),
        Err(EventError::NotAnEvent(_))
    ));
    let err = decode("{\"id\":", &Verifier::unsigned()).unwrap_err();
    assert!(matches!(err, EventError::Malformed(_)), "{err:?}");
    for garbage in ["", "not json", "a.b", "..."] {
        let err = decode(garbage, &jwt()).unwrap_err();
        assert_eq!(err.status(), 400, "{garbage:?}: {err:?}");
    }
}

#[test]
fn secrets_never_show() {
    let verifier = jwt();
    assert!(!format!("{verifier:?}").contains(SECRET));
    let token = sign(Algorithm::HS256, "wrong", &event());
    let err = decode(&token, &verifier).unwrap_err();
    assert!(!format!("{err:?} {err}").contains(SECRET));
    assert!(Verifier::jwt_hs256("").is_err());
    let sw = Verifier::standard_webhooks("whsec_c2VjcmV0LWtleQ==").unwrap();
    assert!(!format!("{sw:?}").contains("c2VjcmV0"));
}

/// The example from the Standard Webhooks specification's reference libraries.
const SW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SW_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SW_TIMESTAMP: u64 = 1614265330;
const SW_BODY: &str = r#"{"test": 2432232314}"#;
const SW_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn sw_headers(signature: &str, timestamp: u64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_static(SW_ID));
    headers.insert("webhook-timestamp", HeaderValue::from(timestamp));
    headers.insert(
        "webhook-signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    headers
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn standard_webhooks_reference_example_verifies() {
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    let headers = sw_headers(SW_SIGNATURE, SW_TIMESTAMP);
    let payload = verifier
        .verify_at(&headers, SW_BODY.as_bytes(), at(SW_TIMESTAMP + 10))
        .unwrap();
    assert_eq!(payload, json!({"test": 2432232314u64}));

    // One matching entry among several is enough; unknown versions are skipped.
    let several = format!("v2,AAAA v1,bm90IGl0 {SW_SIGNATURE}");
    let headers = sw_headers(&several, SW_TIMESTAMP);
    assert!(verifier
        .verify_at(&headers, SW_BODY.as_bytes(), at(SW_TIMESTAMP))
        .is_ok());
}

#[test]
fn standard_webhooks_refusals() {
    let verifier = Verifier::standard_webhooks(SW_SECRET).unwrap();
    let check = |headers: &HeaderMap, body: &str, now: u64| {
        verifier
            .verify_at(headers, body.as_bytes(), at(now))
            .unwrap_err()
    };
    let good = sw_headers(SW_SIGNATURE, SW_TIMESTAMP);
    assert!(matches!(
        check(&good, r#"{"test": 2432232315}"#, SW_TIMESTAMP),
        EventError::BadSignature
    ));
    assert!(matches!(
        check(&good, SW_BODY, SW_TIMESTAMP + 301),
        EventError::Expired
    ));
    assert!(matches!(
        check(&good, SW_BODY, SW_TIMESTAMP - 301),
        EventError::NotYetValid
    ));
    // The timestamp is signed: moving it breaks the signature.
    let moved = sw_headers(SW_SIGNATURE, SW_TIMESTAMP + 1);
    assert!(matches!(
        check(&moved, SW_BODY, SW_TIMESTAMP),
        EventError::BadSignature
    ));
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = good.clone();
        headers.remove(missing);
        let err = check(&headers, SW_BODY, SW_TIMESTAMP);
        assert!(
            matches!(err, EventError::MissingSignature(m) if m == missing),
            "{err:?}"
        );
        assert_eq!(err.status(), 401);
    }
    let wrong_key = Verifier::standard_webhooks("whsec_c2VjcmV0LWtleQ==").unwrap();
    assert!(matches!(
        wrong_key.verify_at(&good, SW_BODY.as_bytes(), at(SW_TIMESTAMP)),
        Err(EventError::BadSignature)
    ));
    assert!(Verifier::standard_webhooks("whsec_not base64!").is_err());
    assert!(Verifier::standard_webhooks("whsec_").is_err());
}

fn verifiers() -> [Verifier; 3] {
    [
        Verifier::unsigned().max_body(4096),
        jwt().max_body(4096),
        Verifier::standard_webhooks(SW_SECRET)
            .unwrap()
            .max_body(4096),
    ]
}

fn jwt_like() -> impl Strategy<Value = Vec<u8>> {
    let alg = prop_oneof![
        Just("HS256".to_owned()),
        Just("none".to_owned()),
        Just("RS256".to_owned()),
        ".{0,12}",
    ];
    let claims = prop_oneof![
        Just(event().to_string()),
        Just(r#"{"exp":"soon","nbf":[],"id":1}"#.to_owned()),
        Just(format!(r#"{{"exp":{},"id":1,"direction":"x"}}"#, i64::MIN)),
        ".{0,40}",
    ];
    (alg, claims, proptest::collection::vec(any::<u8>(), 0..48)).prop_map(|(alg, claims, sig)| {
        format!(
            "{}.{}.{}",
            b64url(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes()),
            b64url(claims.as_bytes()),
            b64url(&sig)
        )
        .into_bytes()
    })
}

fn any_headers() -> impl Strategy<Value = HeaderMap> {
    let value = proptest::collection::vec(any::<u8>(), 0..64);
    (
        proptest::option::of(value.clone()),
        proptest::option::of("-?[0-9]{0,22}"),
        proptest::option::of(value),
    )
        .prop_map(|(id, ts, sig)| {
            let mut headers = HeaderMap::new();
            if let Some(v) = id.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
                headers.insert("webhook-id", v);
            }
            if let Some(v) = ts.and_then(|v| HeaderValue::from_str(&v).ok()) {
                headers.insert("webhook-timestamp", v);
            }
            if let Some(v) = sig.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
                headers.insert("webhook-signature", v);
            }
            headers
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No input makes a verifier panic, and every refusal maps to 400, 401 or 413.
    #[test]
    fn never_panics(
        body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..5000), jwt_like()],
        headers in any_headers(),
    ) {
        for verifier in verifiers() {
            match decode_event::<Event>(&headers, &body, &verifier) {
                Ok(_) => {}
                Err(err) => {
                    let status = err.status().as_u16();
                    prop_assert!(matches!(status, 400 | 401 | 413), "{err:?}");
                    let _ = err.to_string();
                }
            }
        }
    }

    /// A token signed with the secret always decodes to what was signed.
    #[test]
    fn signed_round_trip(id in any::<i64>(), direction in "[a-z]{1,10}") {
        let token = sign(Algorithm::HS256, SECRET, &json!({"id": id, "direction": direction}));
        let got = decode(&token, &jwt()).unwrap();
        prop_assert_eq!(got, Event { id, direction });
    }
}
