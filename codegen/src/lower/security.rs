//! Lowering of security: the supported `components.securitySchemes`, the security
//! requirements that name several of them (OpenAPI 3.0.3, "Security Requirement Object"),
//! and the `ClientBuilder` method name of each.
//!
//! Which scheme kinds a client can send is decided here; where a credential goes on the
//! wire is the runtime's business, and the names come from [`naming`].

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{AuthKind, SecurityRequirement, SecurityScheme};
use crate::naming::{self, reserved, Claim};

impl Lowerer<'_> {
    /// The supported entries of `components.securitySchemes`, in spec order, each with its
    /// builder method name. Cookie API keys and HTTP schemes other than `bearer` and `basic`
    /// are left out; a `$ref` scheme is an error.
    pub(super) fn lower_security(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.doc.components else {
            return Vec::new();
        };
        let mut schemes = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = pointer_push("/components/securitySchemes", key);
            let ReferenceOr::Item(scheme) = scheme else {
                self.error(pointer, "a `$ref` security scheme is not supported");
                continue;
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, description) = match scheme {
                S::APIKey {
                    location: APIKeyLocation::Query,
                    name,
                    description,
                    ..
                } => (AuthKind::ApiKeyQuery(name.clone()), description),
                S::APIKey {
                    location: APIKeyLocation::Header,
                    name,
                    description,
                    ..
                } => (AuthKind::ApiKeyHeader(name.clone()), description),
                // A cookie-borne key cannot be set by a stateless client; the scheme is skipped
                // and the user can still pass the cookie through their own reqwest client.
                S::APIKey {
                    location: APIKeyLocation::Cookie,
                    ..
                } => continue,
                S::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (AuthKind::Bearer, description),
                S::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description),
                S::HTTP { .. } => continue,
                // OAuth 2 and OpenID Connect end in a bearer access token that the caller obtains.
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (AuthKind::Bearer, description)
                }
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                method: String::new(),
                kind,
                description: description.clone(),
            });
        }
        let names = security_method_names(&schemes);
        for (scheme, name) in schemes.iter_mut().zip(names) {
            scheme.method = name;
        }
        schemes
    }

    /// The security requirements that name two or more of `schemes` (see
    /// [`Api::security_requirements`](crate::ir::Api::security_requirements)): the
    /// document's, then each operation's, deduplicated by their set of schemes.
    ///
    /// A requirement that names a scheme the client cannot send (a cookie API key, HTTP
    /// `digest`, an undeclared key) is left out, as such a scheme is: the client cannot meet
    /// it. One whose schemes would share a header or query parameter (bearer and basic both
    /// use `Authorization`) is left out with a warning: no request can carry both.
    pub(super) fn lower_security_requirements(
        &mut self,
        schemes: &[SecurityScheme],
    ) -> Vec<SecurityRequirement> {
        let doc = self.doc;
        let mut lists = Vec::new();
        if let Some(list) = &doc.security {
            lists.push(("/security".to_owned(), list));
        }
        for (path, item) in &doc.paths.paths {
            // A `$ref` path item is refused where operations are lowered.
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                if let Some(list) = &op.security {
                    let op_pointer = pointer_push(&pointer_push("/paths", path), method);
                    lists.push((format!("{op_pointer}/security"), list));
                }
            }
        }
        let mut seen: BTreeSet<Vec<&str>> = BTreeSet::new();
        let mut found: Vec<(Vec<&SecurityScheme>, String)> = Vec::new();
        for (list_pointer, list) in lists {
            for (index, requirement) in list.iter().enumerate() {
                if requirement.len() < 2 {
                    continue;
                }
                let Some(named) = requirement
                    .keys()
                    .map(|key| schemes.iter().find(|scheme| &scheme.key == key))
                    .collect::<Option<Vec<&SecurityScheme>>>()
                else {
                    continue;
                };
                let mut set: Vec<&str> = named.iter().map(|scheme| scheme.key.as_str()).collect();
                set.sort_unstable();
                if !seen.insert(set) {
                    continue;
                }
                let pointer = format!("{list_pointer}/{index}");
                if let Some(message) = collision(&named) {
                    self.warn(pointer, message);
                    continue;
                }
                found.push((named, pointer));
            }
        }
        let names = requirement_method_names(&found, schemes);
        found
            .into_iter()
            .zip(names)
            .map(|((named, pointer), method)| SecurityRequirement {
                schemes: named.iter().map(|scheme| scheme.key.clone()).collect(),
                method,
                pointer,
            })
            .collect()
    }
}

/// Where a scheme's credential travels, as far as two of them can collide: a header (by
/// lower-case name, as header names compare without case) or a query parameter.
fn place(kind: &AuthKind) -> (&'static str, String) {
    match kind {
        AuthKind::Bearer | AuthKind::Basic => ("header", "authorization".to_owned()),
        AuthKind::ApiKeyHeader(name) => ("header", name.to_ascii_lowercase()),
        AuthKind::ApiKeyQuery(name) => ("query parameter", name.clone()),
    }
}

/// Why the schemes of one requirement cannot travel on one request, if they cannot: the
/// first two that would share a header or query parameter.
fn collision(named: &[&SecurityScheme]) -> Option<String> {
    for (later, scheme) in named.iter().enumerate() {
        let here = place(&scheme.kind);
        if let Some(earlier) = named[..later].iter().find(|s| place(&s.kind) == here) {
            return Some(format!(
                "the security requirement names the schemes `{}` and `{}`, which are both sent \
                 in the {} `{}`; one request cannot carry both, so the client has no setter for \
                 this requirement",
                earlier.key, scheme.key, here.0, here.1
            ));
        }
    }
    None
}

/// The `ClientBuilder` setter of each multi-scheme requirement: its schemes' method names
/// joined with `_and_`, in the requirement's order, a later scheme of a kind already named
/// dropping the kind's prefix (`api_key` and `api_key_api_secret` make
/// `api_key_and_api_secret`); failing that, the full method names joined. The names avoid
/// the builder's fixed methods and every scheme's own setter.
fn requirement_method_names(
    found: &[(Vec<&SecurityScheme>, String)],
    schemes: &[SecurityScheme],
) -> Vec<String> {
    let mut taken: Vec<&str> = reserved::BUILDER_METHODS.to_vec();
    taken.extend(schemes.iter().map(|scheme| scheme.method.as_str()));
    let claims: Vec<_> = found
        .iter()
        .map(|(named, _)| {
            let mut short = Vec::new();
            for (index, scheme) in named.iter().enumerate() {
                let kind = kind_name(&scheme.kind);
                let repeated = named[..index].iter().any(|s| kind_name(&s.kind) == kind);
                let rest = scheme
                    .method
                    .strip_prefix(kind)
                    .and_then(|rest| rest.strip_prefix('_'))
                    .filter(|rest| !rest.is_empty());
                short.push(match rest {
                    Some(rest) if repeated => rest,
                    _ => scheme.method.as_str(),
                });
            }
            let long: Vec<&str> = named.iter().map(|scheme| scheme.method.as_str()).collect();
            let keys: Vec<&str> = named.iter().map(|scheme| scheme.key.as_str()).collect();
            let mut choices = vec![short.join("_and_")];
            if long != short {
                choices.push(long.join("_and_"));
            }
            Claim::new(choices, keys.join("\n"))
        })
        .collect();
    naming::assign(&claims, &taken)
}

/// The setter name of a single scheme of `kind` when it is the only one of its kind.
fn kind_name(kind: &AuthKind) -> &'static str {
    match kind {
        AuthKind::Bearer => reserved::BEARER_AUTH,
        AuthKind::Basic => reserved::BASIC_AUTH,
        AuthKind::ApiKeyQuery(_) | AuthKind::ApiKeyHeader(_) => reserved::API_KEY,
    }
}

/// The `ClientBuilder` setter of each scheme, named for the kind of credential it takes
/// ([`reserved::BEARER_AUTH`], [`reserved::BASIC_AUTH`], [`reserved::API_KEY`]); the scheme
/// key only tells apart two schemes of one kind: `api_key_query` / `api_key_header` when
/// an API key's location is its own among the API keys, else `<kind>_<key>` (the key alone
/// when it already starts with the kind's name). A scheme whose key is the kind's name or
/// its first word (`bearer`, `api`) keeps the plain name.
fn security_method_names(schemes: &[SecurityScheme]) -> Vec<String> {
    let location = |kind: &AuthKind| match kind {
        AuthKind::ApiKeyQuery(_) => Some("query"),
        AuthKind::ApiKeyHeader(_) => Some("header"),
        _ => None,
    };
    let claims: Vec<_> = schemes
        .iter()
        .map(|scheme| {
            let kind = kind_name(&scheme.kind);
            let key = naming::snake(&scheme.key);
            let alone = schemes
                .iter()
                .filter(|s| kind_name(&s.kind) == kind)
                .count()
                == 1;
            let keyed = if key.starts_with(&format!("{kind}_")) {
                key.clone()
            } else if key == kind || kind.starts_with(&format!("{key}_")) {
                // `bearer` among bearer schemes: the plain name says it already.
                kind.to_owned()
            } else {
                format!("{kind}_{key}")
            };
            let mut choices = Vec::new();
            if alone {
                choices.push(kind.to_owned());
            } else if let Some(place) = location(&scheme.kind) {
                let same_place = schemes
                    .iter()
                    .filter(|s| location(&s.kind) == Some(place))
                    .count();
                if same_place == 1 {
                    choices.push(format!("{kind}_{place}"));
                }
            }
            choices.push(keyed);
            Claim::new(choices, naming::plain_rank(&scheme.key, &key))
        })
        .collect();
    naming::assign(&claims, reserved::BUILDER_METHODS)
}

#[cfg(test)]
mod tests {
    /// The `ClientBuilder` setter of each security scheme of a spec with `schemes` (YAML
    /// flow mappings by key), by scheme key.
    fn setters(schemes: &str) -> Vec<(String, String)> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: A, version: '1'}}\npaths: {{}}\n\
             components:\n  securitySchemes:\n{schemes}"
        );
        let document = crate::load::parse(&spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        api.security
            .into_iter()
            .map(|scheme| (scheme.key, scheme.method))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(key, method)| ((*key).to_owned(), (*method).to_owned()))
            .collect()
    }

    #[test]
    fn auth_setters_are_named_for_the_kind_of_credential() {
        let found = setters(
            "    OAuth 2.0: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://a.example', scopes: {}}}}\n\
             \x20   api key in url: {type: apiKey, in: query, name: key}\n\
             \x20   login: {type: http, scheme: basic}\n",
        );
        assert_eq!(
            found,
            pairs(&[
                ("OAuth 2.0", "bearer_auth"),
                ("api key in url", "api_key"),
                ("login", "basic_auth")
            ])
        );
        // OpenID Connect is a bearer token too.
        let found =
            setters("    oidc: {type: openIdConnect, openIdConnectUrl: 'https://a.example'}\n");
        assert_eq!(found, pairs(&[("oidc", "bearer_auth")]));
    }

    #[test]
    fn the_scheme_key_only_tells_two_of_one_kind_apart() {
        let found = setters(
            "    header_key: {type: apiKey, in: header, name: X-Key}\n\
             \x20   query_key: {type: apiKey, in: query, name: key}\n\
             \x20   bearer: {type: http, scheme: bearer}\n\
             \x20   partner: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://a.example', scopes: {}}}}\n",
        );
        assert_eq!(
            found,
            pairs(&[
                ("header_key", "api_key_header"),
                ("query_key", "api_key_query"),
                ("bearer", "bearer_auth"),
                ("partner", "bearer_auth_partner")
            ])
        );
        // Two keys in one place: the scheme key names them.
        let found = setters(
            "    admin: {type: apiKey, in: header, name: X-Admin}\n\
             \x20   api_key_user: {type: apiKey, in: header, name: X-User}\n",
        );
        assert_eq!(
            found,
            pairs(&[("admin", "api_key_admin"), ("api_key_user", "api_key_user")])
        );
    }

    /// The multi-scheme requirements of `spec` (schemes, setter, pointer) and the warnings
    /// lowering gave (pointer, message).
    #[allow(clippy::type_complexity)]
    fn requirements(spec: &str) -> (Vec<(Vec<String>, String, String)>, Vec<(String, String)>) {
        let document = crate::load::parse(spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        let requirements = api
            .security_requirements
            .into_iter()
            .map(|r| (r.schemes, r.method, r.pointer))
            .collect();
        let warnings = api
            .warnings
            .into_iter()
            .map(|w| (w.pointer, w.message))
            .collect();
        (requirements, warnings)
    }

    fn requirement(schemes: &[&str], method: &str, pointer: &str) -> (Vec<String>, String, String) {
        (
            schemes.iter().map(|s| (*s).to_owned()).collect(),
            method.to_owned(),
            pointer.to_owned(),
        )
    }

    #[test]
    fn two_query_keys_required_together_get_one_setter() {
        let (found, warnings) = requirements(
            "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths: {}\n\
             security:\n  - {apiKey: [], apiSecret: []}\n\
             components:\n  securitySchemes:\n\
             \x20   apiKey: {type: apiKey, in: query, name: api_key}\n\
             \x20   apiSecret: {type: apiKey, in: query, name: api_secret}\n",
        );
        assert_eq!(
            found,
            [requirement(
                &["apiKey", "apiSecret"],
                "api_key_and_api_secret",
                "/security/0"
            )]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn requirements_come_in_spec_order_once_each_and_only_when_sendable() {
        let (found, warnings) = requirements(
            "openapi: 3.0.3\ninfo: {title: A, version: '1'}\n\
             security:\n  - {key: []}\n  - {key: [], bearer: []}\n  - {}\n\
             paths:\n  /a:\n    get:\n      security:\n\
             \x20       - {bearer: [], key: []}\n\
             \x20       - {basic: [], bearer: []}\n\
             \x20       - {cookie: [], key: []}\n\
             \x20       - {missing: [], key: []}\n\
             \x20       - {basic: [], query: []}\n\
             \x20       - {key: [], upper: []}\n\
             \x20     responses: {'204': {description: ok}}\n\
             \x20 /b:\n    post:\n      security:\n\
             \x20       - {query: [], basic: []}\n\
             \x20       - {bearer: [], query: [], key: []}\n\
             \x20     responses: {'204': {description: ok}}\n\
             components:\n  securitySchemes:\n\
             \x20   key: {type: apiKey, in: header, name: X-Key}\n\
             \x20   upper: {type: apiKey, in: header, name: x-key}\n\
             \x20   query: {type: apiKey, in: query, name: key}\n\
             \x20   bearer: {type: http, scheme: bearer}\n\
             \x20   basic: {type: http, scheme: basic}\n\
             \x20   cookie: {type: apiKey, in: cookie, name: sid}\n",
        );
        assert_eq!(
            found,
            [
                requirement(
                    &["key", "bearer"],
                    "api_key_key_and_bearer_auth",
                    "/security/1"
                ),
                requirement(
                    &["basic", "query"],
                    "basic_auth_and_api_key_query",
                    "/paths/~1a/get/security/4"
                ),
                requirement(
                    &["bearer", "query", "key"],
                    "bearer_auth_and_api_key_query_and_key",
                    "/paths/~1b/post/security/1"
                ),
            ]
        );
        assert_eq!(
            warnings,
            [
                (
                    "/paths/~1a/get/security/1".to_owned(),
                    "the security requirement names the schemes `basic` and `bearer`, which \
                     are both sent in the header `authorization`; one request cannot carry \
                     both, so the client has no setter for this requirement"
                        .to_owned()
                ),
                (
                    "/paths/~1a/get/security/5".to_owned(),
                    "the security requirement names the schemes `key` and `upper`, which are \
                     both sent in the header `x-key`; one request cannot carry both, so the \
                     client has no setter for this requirement"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn requirement_setters_avoid_every_other_builder_method() {
        // The third scheme's own setter is the short name of the first two together.
        let (found, _) = requirements(
            "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths: {}\n\
             security:\n  - {a: [], b: []}\n\
             components:\n  securitySchemes:\n\
             \x20   a: {type: apiKey, in: header, name: X-A}\n\
             \x20   b: {type: apiKey, in: header, name: X-B}\n\
             \x20   api_key_a_and_b: {type: apiKey, in: header, name: X-C}\n",
        );
        assert_eq!(
            found,
            [requirement(
                &["a", "b"],
                "api_key_a_and_api_key_b",
                "/security/0"
            )]
        );
    }
}
