//! Names are a function of their own key: adding unrelated schemas, operations and
//! parameters (including keys that collide with existing names after case conversion, and
//! a dotted key that ends like an existing one) and reordering schemas, paths and
//! parameters must leave every public name of the generated crate in place, meaning the
//! same item. One test runs on a small spec written here, one on the full Dialpad spec
//! (`../shared/specs/dialpad-api-v2.json`, beside the checkout; skipped when absent).
//!
//! "The same item": every public type, field, variant, method, module and re-export is
//! recorded under its path (`types::Order.status`, `client::Client::list_orders`) with what
//! it means (a field's type and serde attributes, a method's signature, a variant's payload
//! and wire value), docs left out; a type alias to a local type counts as that type, so an
//! error enum that became an alias of an identical one still means the same.

use std::collections::BTreeMap;
use std::path::Path;

use forge_codegen::{File, Settings};
use quote::ToTokens;
use serde_json::{json, Value};

/// Every public name of the generated crate, with what it means.
fn public_names(files: &[File]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for file in files.iter().filter(|f| f.path.starts_with("src/")) {
        let module = file
            .path
            .trim_start_matches("src/")
            .trim_end_matches(".rs")
            .to_owned();
        let parsed = syn::parse_file(&file.contents).expect("generated code parses");
        let locals: BTreeMap<String, &syn::Item> = parsed
            .items
            .iter()
            .filter_map(|item| item_name(item).map(|name| (name, item)))
            .collect();
        for item in &parsed.items {
            record(&module, item, &locals, &mut names);
        }
        // Methods of a type are reachable through its aliases too.
        for (alias, target) in locals
            .keys()
            .filter_map(|name| Some((name, alias_target(name, &locals, 0)?)))
        {
            let prefix = format!("{module}::{target}::");
            let methods: Vec<(String, String)> = names
                .range(prefix.clone()..)
                .take_while(|(key, _)| key.starts_with(&prefix))
                .filter(|(_, meaning)| meaning.starts_with("fn "))
                .map(|(key, meaning)| {
                    let rest = &key[prefix.len()..];
                    (format!("{module}::{alias}::{rest}"), meaning.clone())
                })
                .collect();
            names.extend(methods);
        }
    }
    names
}

/// The struct or enum of this module that the alias `name` finally names, if it is one.
fn alias_target(name: &str, locals: &BTreeMap<String, &syn::Item>, depth: usize) -> Option<String> {
    match locals.get(name)? {
        syn::Item::Type(t) if depth < 8 => {
            alias_target(&t.ty.to_token_stream().to_string(), locals, depth + 1)
        }
        syn::Item::Type(_) => None,
        _ if depth > 0 => Some(name.to_owned()),
        _ => None,
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Attributes other than docs, as text.
fn attrs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .map(|a| a.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn record(
    module: &str,
    item: &syn::Item,
    locals: &BTreeMap<String, &syn::Item>,
    names: &mut BTreeMap<String, String>,
) {
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            record_type(&format!("{module}::{}", s.ident), item, locals, names, 0)
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            record_type(&format!("{module}::{}", e.ident), item, locals, names, 0)
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            record_type(&format!("{module}::{}", t.ident), item, locals, names, 0)
        }
        syn::Item::Impl(block) if block.trait_.is_none() => {
            let owner = block.self_ty.to_token_stream().to_string();
            for member in &block.items {
                if let syn::ImplItem::Fn(function) = member {
                    if is_pub(&function.vis) {
                        let mut sig = function.sig.clone();
                        sig.ident = syn::Ident::new("f", sig.ident.span());
                        names.insert(
                            format!("{module}::{owner}::{}", function.sig.ident),
                            format!("fn {}", sig.to_token_stream()),
                        );
                    }
                }
            }
        }
        syn::Item::Fn(function) if is_pub(&function.vis) => {
            names.insert(
                format!("{module}::{}", function.sig.ident),
                format!("fn {}", function.sig.to_token_stream()),
            );
        }
        syn::Item::Mod(m) if is_pub(&m.vis) => {
            names.insert(format!("{module}::mod {}", m.ident), "mod".to_owned());
        }
        syn::Item::Use(u) if is_pub(&u.vis) => {
            names.insert(
                format!("{module}::use {}", u.tree.to_token_stream()),
                "use".to_owned(),
            );
        }
        _ => {}
    }
}

/// Records a type under `path`: its kind and its fields or variants. An alias of a type in
/// the same module is recorded as that type.
fn record_type(
    path: &str,
    item: &syn::Item,
    locals: &BTreeMap<String, &syn::Item>,
    names: &mut BTreeMap<String, String>,
    depth: usize,
) {
    match item {
        syn::Item::Struct(s) => {
            names.insert(path.to_owned(), format!("struct {}", attrs(&s.attrs)));
            for field in &s.fields {
                if let (Some(ident), true) = (&field.ident, is_pub(&field.vis)) {
                    names.insert(
                        format!("{path}.{ident}"),
                        format!("{} {}", attrs(&field.attrs), field.ty.to_token_stream()),
                    );
                }
            }
        }
        syn::Item::Enum(e) => {
            names.insert(path.to_owned(), format!("enum {}", attrs(&e.attrs)));
            for variant in &e.variants {
                names.insert(
                    format!("{path}::{}", variant.ident),
                    format!(
                        "{} {}",
                        attrs(&variant.attrs),
                        variant.fields.to_token_stream()
                    ),
                );
            }
        }
        syn::Item::Type(t) => {
            let target = t.ty.to_token_stream().to_string();
            match locals.get(&target) {
                Some(local) if depth < 8 => record_type(path, local, locals, names, depth + 1),
                _ => {
                    names.insert(path.to_owned(), format!("type {target}"));
                }
            }
        }
        _ => {}
    }
}

fn generate(spec: &Value, name: &str) -> Vec<File> {
    let text = serde_json::to_string_pretty(spec).expect("serialises");
    let document = forge_codegen::load::parse(&text).expect("spec parses");
    forge_codegen::generate(&document, &Settings::new(name)).expect("spec generates")
}

/// Every public name of `before` is in `after`, meaning the same; returns how many there
/// were.
fn assert_kept(before: &[File], after: &[File]) -> usize {
    let old = public_names(before);
    let new = public_names(after);
    let mut problems = Vec::new();
    for (path, meaning) in &old {
        match new.get(path) {
            None => problems.push(format!("gone: {path}")),
            Some(now) if now != meaning => {
                problems.push(format!("changed: {path}\n  was {meaning}\n  now {now}"))
            }
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} public names moved:\n{}",
        problems.len(),
        old.len(),
        problems.join("\n")
    );
    assert!(new.len() > old.len(), "the additions added nothing");
    old.len()
}

/// Reverses the order of an object's keys.
fn reversed(object: &Value) -> Value {
    let map = object.as_object().expect("an object");
    Value::Object(
        map.iter()
            .rev()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// Reverses the order of components.schemas, of paths and of every parameter list.
fn reorder(spec: &mut Value) {
    spec["components"]["schemas"] = reversed(&spec["components"]["schemas"]);
    spec["paths"] = reversed(&spec["paths"]);
    for item in spec["paths"].as_object_mut().expect("paths").values_mut() {
        for (_, op) in item.as_object_mut().expect("path item").iter_mut() {
            if let Some(parameters) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                parameters.reverse();
            }
        }
    }
}

fn add_schema(spec: &mut Value, key: &str, schema: Value) {
    let schemas = spec["components"]["schemas"]
        .as_object_mut()
        .expect("schemas");
    assert!(!schemas.contains_key(key), "{key} exists already");
    schemas.insert(key.to_owned(), schema);
}

fn add_operation(spec: &mut Value, path: &str, method: &str, operation: Value) {
    let paths = spec["paths"].as_object_mut().expect("paths");
    let item = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
    assert!(item.get(method).is_none(), "{method} {path} exists already");
    item[method] = operation;
}

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

fn ok(schema: Value) -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

/// A small spec with the collisions the rule settles: dotted keys sharing a last segment,
/// keys that meet in PascalCase, operationIds that meet in snake_case, an operation without
/// an id, inline enums shared between places, properties and parameters that collide.
fn small_spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Stable names", "version": "1"},
        "paths": {
            "/orders": {
                "get": {
                    "operationId": "orders.list",
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}},
                        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                        {"name": "x_trace", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": ok(json!({"$ref": "#/components/schemas/schemas.order.OrderPage"}))
                },
                "post": {
                    "operationId": "ordersCreate",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/schemas.order.Order"}}}},
                    "responses": ok(json!({"$ref": "#/components/schemas/schemas.order.Order"}))
                }
            },
            "/orders/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/schemas.order.Order"}}}},
                        "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                    }
                },
                "delete": {
                    "operationId": "orders.delete",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": {
                        "204": {"description": "gone"},
                        "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                    }
                }
            }
        },
        "components": {"schemas": {
            "schemas.order.Order": object(json!({
                "id": {"type": "integer"},
                "status": {"type": "string", "enum": ["open", "closed"]},
                "fooBar": {"type": "string"},
                "foo_bar": {"type": "string"},
                "kind": {"type": "string", "enum": ["a", "A", "b"]}
            })),
            "schemas.billing.Order": object(json!({"total": {"type": "number"}})),
            "schemas.order.OrderPage": object(json!({
                "cursor": {"type": "string"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/schemas.order.Order"}}
            })),
            "Problem": object(json!({"message": {"type": "string"}})),
            "problem_detail": object(json!({"detail": {"type": "string"}}))
        }}
    })
}

/// Unrelated additions that collide with existing names and must lose, per the rule.
fn grow_small(spec: &mut Value) {
    // Ends like `schemas.order.Order` and `schemas.billing.Order`, longer than both.
    add_schema(
        spec,
        "schemas.websocket.Order",
        object(json!({"x": {"type": "string"}})),
    );
    // Meets `Problem` in PascalCase, and is not exactly that name.
    add_schema(spec, "problem", object(json!({"y": {"type": "string"}})));
    // Meets `ProblemDetail` (from `problem_detail`), further from the name.
    add_schema(
        spec,
        "problem__detail",
        object(json!({"z": {"type": "string"}})),
    );
    // A schema whose inline enum is identical to `Order`'s `status` (it sorts after it).
    add_schema(
        spec,
        "ZetaNode",
        object(json!({"status": {"type": "string", "enum": ["open", "closed"]}})),
    );
    // A property that meets `foo_bar` in snake_case would rename nothing either, but it would
    // change `Order` itself; new schemas carry the collisions instead.
    add_schema(
        spec,
        "Widget",
        object(
            json!({"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}, "FOO_BAR": {"type": "string"}}),
        ),
    );
    // Operation ids that meet existing ones after case conversion, further from the name.
    add_operation(
        spec,
        "/archive",
        "get",
        json!({
            "operationId": "Orders.List",
            "parameters": [
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "Cursor", "in": "header", "schema": {"type": "string"}}
            ],
            "responses": ok(json!({"$ref": "#/components/schemas/schemas.order.OrderPage"}))
        }),
    );
    add_operation(
        spec,
        "/archive",
        "post",
        json!({
            "operationId": "orders...create",
            "responses": {"204": {"description": "ok"}}
        }),
    );
    // Without an id: named from method and path, after every explicit id.
    add_operation(
        spec,
        "/orders/{id}/notes",
        "get",
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}
        }),
    );
    // A parameter added to an operation that already has a parameter struct.
    spec["paths"]["/orders"]["get"]["parameters"]
        .as_array_mut()
        .expect("parameters")
        .push(json!({"name": "X-Zeta", "in": "header", "schema": {"type": "string"}}));
    reorder(spec);
}

#[test]
fn a_small_spec_keeps_every_public_name() {
    let spec = small_spec();
    let before = generate(&spec, "stable");
    let mut grown = spec.clone();
    grow_small(&mut grown);
    let after = generate(&grown, "stable");
    let kept = assert_kept(&before, &after);
    let names = public_names(&before);
    // The names the rule promises for the colliding keys of the original spec.
    for name in [
        "types::Order",
        "types::BillingOrder",
        "types::Problem",
        "types::ProblemDetail",
        "types::OrderStatus",
        "types::Order.foo_bar",
        "types::Order.foo_bar2",
        "client::Client::orders_list",
        "client::Client::orders_create",
        "client::Client::get_orders_id",
        "builders::OrdersList < 'a >::x_trace",
        "builders::OrdersList < 'a >::x_trace2",
    ] {
        assert!(names.contains_key(name), "{name} missing from {names:#?}");
    }
    // `foo_bar` is exactly its name; `fooBar` steps aside.
    assert!(!names["types::Order.foo_bar"].contains("rename"));
    assert!(names["types::Order.foo_bar2"].contains("\"fooBar\""));
    let grown_names = public_names(&after);
    for name in [
        "types::WebsocketOrder",
        "types::Problem2",
        "types::ProblemDetail2",
        "client::Client::orders_list2",
        "client::Client::orders_create2",
    ] {
        assert!(grown_names.contains_key(name), "{name} missing");
    }
    eprintln!("{kept} public names kept");
}

#[test]
fn the_full_dialpad_spec_keeps_every_public_name() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/dialpad-api-v2.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} is not present (a shared test input beside the checkout)",
            path.display()
        );
        return;
    };
    let spec: Value = serde_json::from_str(&text).expect("the Dialpad spec is JSON");
    let before = generate(&spec, "dialpad-full");
    let mut grown = spec.clone();
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    assert!(schemas.contains_key("schemas.webhook.WebhookProto"));
    // Ends like `schemas.webhook.WebhookProto` (the example of the issue): a longer key.
    add_schema(
        &mut grown,
        "schemas.websocket.WebhookProto",
        object(json!({"socket_id": {"type": "integer"}})),
    );
    // Keys that meet existing names in PascalCase, further from them.
    add_schema(
        &mut grown,
        "webhook_proto",
        object(json!({"a": {"type": "string"}})),
    );
    add_schema(
        &mut grown,
        "schemas.webhook.webhook_proto",
        object(json!({"b": {"type": "string"}})),
    );
    add_schema(
        &mut grown,
        "schemas.extra.sms_proto",
        object(json!({"c": {"type": "string"}})),
    );
    // A schema whose inline object would be named like an existing component.
    add_schema(
        &mut grown,
        "schemas.zzz.Webhook",
        object(json!({"proto": object(json!({"d": {"type": "string"}}))})),
    );
    // Operation ids that meet existing ones after case conversion, further from the name.
    let first_id = spec["paths"]["/api/v2/accesscontrolpolicies"]["get"]["operationId"]
        .as_str()
        .expect("an operationId")
        .to_owned();
    assert_eq!(first_id, "accesscontrolpolicies.list");
    add_operation(
        &mut grown,
        "/api/v2/zzz/policies",
        "get",
        json!({
            "operationId": "Accesscontrolpolicies.List",
            "parameters": [
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ],
            "responses": ok(json!({"$ref": "#/components/schemas/schemas.webhook.WebhookProto"}))
        }),
    );
    add_operation(
        &mut grown,
        "/api/v2/zzz/policies",
        "post",
        json!({
            "operationId": "accesscontrolpolicies..create",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/schemas.websocket.WebhookProto"}}}},
            "responses": {"204": {"description": "ok"}}
        }),
    );
    // No id: named from method and path.
    add_operation(
        &mut grown,
        "/api/v2/zzz/{id}",
        "delete",
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "ok"}}
        }),
    );
    reorder(&mut grown);
    let after = generate(&grown, "dialpad-full");
    let kept = assert_kept(&before, &after);
    let names = public_names(&after);
    for name in [
        "types::WebhookProto",
        "types::WebsocketWebhookProto",
        "client::Client::accesscontrolpolicies_list",
        "client::Client::accesscontrolpolicies_list2",
    ] {
        assert!(names.contains_key(name), "{name} missing");
    }
    eprintln!("{kept} public names of the Dialpad client kept");
}
