//! Lowering of paths and operations: parameters, request bodies and success responses.

use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, StatusCode,
};

use super::schema::{lower_ref, Context};
use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{
    Body, BodyEncoding, Event, EventSource, Operation, Param, ParamLocation, ParamStyle, PathPart,
    SignatureScheme, Success, TypeRef,
};
use crate::naming::{self, reserved, Claim, Scope};

/// The names of one operation, settled before any operation is lowered.
struct OperationNames {
    /// The client method.
    method: String,
    /// The prefix of its parameter struct, error enum and inline types.
    type_prefix: String,
}

/// The rank of an operation competing for a name: an explicit `operationId` before one
/// derived from method and path, the id closest to the name ([`naming::distance`]), the
/// shorter id, byte order, then path and method (two operations may share an id by
/// mistake).
type OperationRank = (bool, usize, usize, String, String, String);

/// Lowers every operation, in path order and then in a fixed method order.
pub(crate) fn lower_operations(cx: &mut Lowerer<'_>) -> Vec<Operation> {
    let doc = cx.doc;
    let mut found = Vec::new();
    for (path, item) in &doc.paths.paths {
        let item_pointer = pointer_push("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                cx.error(item_pointer, "a `$ref` path item is not supported yet");
                continue;
            }
        };
        for (method, op) in item.iter() {
            found.push((path, item, method, op, pointer_push(&item_pointer, method)));
        }
    }
    let names = operation_names(
        found
            .iter()
            .map(|(path, _, method, op, _)| (path.as_str(), *method, op.operation_id.as_deref())),
    );
    let mut operations = Vec::new();
    for ((path, item, method, op, pointer), names) in found.into_iter().zip(names) {
        if let Some(op) = lower_operation(cx, path, item, method, op, &pointer, names) {
            operations.push(op);
        }
    }
    operations
}

/// Names every operation's method and type prefix from its own `(path, method,
/// operationId)` (see [`naming`] for how collisions are settled without regard to order).
fn operation_names<'a>(
    operations: impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)>,
) -> Vec<OperationNames> {
    let mut method_claims: Vec<Claim<OperationRank>> = Vec::new();
    for (path, method, operation_id) in operations {
        let id = operation_id
            .map(str::to_owned)
            .unwrap_or_else(|| derived_id(method, path));
        let name = naming::snake(&id);
        let rank = (
            operation_id.is_none(),
            naming::distance(&id, &name),
            id.len(),
            id,
            path.to_owned(),
            method.to_owned(),
        );
        method_claims.push(Claim::new(vec![name], rank));
    }
    let methods = naming::assign(&method_claims, reserved::CLIENT_METHODS);
    // Distinct snake names can still meet in PascalCase (`v1_a`, `v_1_a`).
    let type_claims: Vec<Claim<OperationRank>> = methods
        .iter()
        .zip(&method_claims)
        .map(|(method, claim)| Claim::new(vec![naming::pascal(method)], claim.rank.clone()))
        .collect();
    let prefixes = naming::assign(&type_claims, &[]);
    methods
        .into_iter()
        .zip(prefixes)
        .map(|(method, type_prefix)| OperationNames {
            method,
            type_prefix,
        })
        .collect()
}

/// One event found in the document, before it is named.
struct FoundEvent {
    source: EventSource,
    /// The key its name comes from.
    key: String,
    method: String,
    op: openapiv3::Operation,
    pointer: String,
}

/// The events of the document: every operation's `callbacks` (3.0 §4.7.10.15), in
/// operation order, then the document's `webhooks` (3.1; normalization keeps them in the
/// 3.0 tree, which `openapiv3` does not model, so they are read from the raw document).
/// Each method of a path item is one event, its body lowered as a request body, named
/// after its own key (see [`naming`]).
pub(crate) fn lower_events(cx: &mut Lowerer<'_>) -> Vec<Event> {
    let mut found = Vec::new();
    let doc = cx.doc;
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_pointer = pointer_push("/paths", path);
        for (method, op) in item.iter() {
            let op_pointer = pointer_push(&item_pointer, method);
            let operation = op
                .operation_id
                .clone()
                .unwrap_or_else(|| derived_id(method, path));
            for (name, callback) in &op.callbacks {
                let callback_pointer = pointer_push(&pointer_push(&op_pointer, "callbacks"), name);
                for (expression, item) in callback {
                    let expression_pointer = pointer_push(&callback_pointer, expression);
                    for (event_method, event_op) in item.iter() {
                        found.push(FoundEvent {
                            source: EventSource::Callback {
                                operation: operation.clone(),
                                name: name.clone(),
                                expression: expression.clone(),
                            },
                            key: event_op
                                .operation_id
                                .clone()
                                .unwrap_or_else(|| name.clone()),
                            method: event_method.to_owned(),
                            op: event_op.clone(),
                            pointer: pointer_push(&expression_pointer, event_method),
                        });
                    }
                }
            }
        }
    }
    if let Some(hooks) = cx.raw_at("/webhooks").and_then(|w| w.as_object()) {
        for (key, item) in hooks {
            let item_pointer = pointer_push("/webhooks", key);
            let item: PathItem = match serde_json::from_value(item.clone()) {
                Ok(item) => item,
                Err(err) => {
                    cx.warn(
                        item_pointer,
                        format!("webhook is not a valid path item ({err}); left out"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                found.push(FoundEvent {
                    source: EventSource::Webhook { key: key.clone() },
                    key: key.clone(),
                    method: method.to_owned(),
                    op: op.clone(),
                    pointer: pointer_push(&item_pointer, method),
                });
            }
        }
    }
    let claims: Vec<Claim<(usize, usize, String, String)>> = found
        .iter()
        .map(|event| {
            let name = naming::snake(&event.key);
            let rank = (
                naming::distance(&event.key, &name),
                event.key.len(),
                event.key.clone(),
                event.pointer.clone(),
            );
            Claim::new(vec![name], rank)
        })
        .collect();
    let names = naming::assign(&claims, &[]);
    let mut events = Vec::new();
    for (event, name) in found.into_iter().zip(names) {
        let prefix = format!("{}Event", naming::pascal(&name));
        let body = event.op.request_body.as_ref().and_then(|body| {
            lower_body(
                cx,
                body,
                &pointer_push(&event.pointer, "requestBody"),
                &prefix,
            )
        });
        let (signature, unsigned) = signature_scheme(cx, &event.op, &event.pointer);
        events.push(Event {
            source: event.source,
            name,
            method: event.method,
            doc: operation_doc(&event.op),
            body,
            signature,
            unsigned,
            pointer: event.pointer,
        });
    }
    events
}

/// The `x-webhook-signature` extension of an event's operation: `{scheme: jwt-hs256 |
/// standard-webhooks, unsigned: plain-json}` (see the README, "Events"). Without it the
/// event is unsigned only. An unknown scheme or shape is an error located at the extension.
fn signature_scheme(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
) -> (Option<SignatureScheme>, bool) {
    let Some(value) = op.extensions.get(SIGNATURE_EXTENSION) else {
        return (None, true);
    };
    let pointer = pointer_push(pointer, SIGNATURE_EXTENSION);
    let Some(object) = value.as_object() else {
        cx.error(
            pointer,
            "`x-webhook-signature` must be an object with a `scheme`",
        );
        return (None, false);
    };
    let scheme = match object.get("scheme").and_then(|s| s.as_str()) {
        Some("jwt-hs256") => Some(SignatureScheme::JwtHs256),
        Some("standard-webhooks") => Some(SignatureScheme::StandardWebhooks),
        Some(other) => {
            cx.error(
                pointer_push(&pointer, "scheme"),
                format!(
                    "unknown signature scheme {other:?} (expected `jwt-hs256` or `standard-webhooks`)"
                ),
            );
            None
        }
        None => {
            cx.error(
                pointer_push(&pointer, "scheme"),
                "`x-webhook-signature` needs a string `scheme` (`jwt-hs256` or `standard-webhooks`)",
            );
            None
        }
    };
    let unsigned = match object.get("unsigned") {
        None => false,
        Some(value) if value.as_str() == Some("plain-json") => true,
        Some(other) => {
            cx.error(
                pointer_push(&pointer, "unsigned"),
                format!("unknown `unsigned` value {other} (expected `plain-json`)"),
            );
            false
        }
    };
    (scheme, unsigned)
}

/// The extension that declares an event's signature scheme.
const SIGNATURE_EXTENSION: &str = "x-webhook-signature";

/// An operation's summary and description, joined (the summary left out when the
/// description starts with it).
fn operation_doc(op: &openapiv3::Operation) -> Option<String> {
    match (&op.summary, &op.description) {
        (Some(summary), Some(description)) if !description.starts_with(summary.as_str()) => {
            Some(format!("{summary}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (Some(summary), None) => Some(summary.clone()),
        (None, None) => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    cx: &mut Lowerer<'_>,
    path: &str,
    item: &PathItem,
    method: &str,
    op: &openapiv3::Operation,
    pointer: &str,
    names: OperationNames,
) -> Option<Operation> {
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| derived_id(method, path));
    let OperationNames {
        method: method_name,
        type_prefix,
    } = names;

    // Operation-level parameters override path-level ones with the same name and location.
    let mut raw_params: Vec<(String, &ReferenceOr<Parameter>)> = Vec::new();
    for (index, param) in item.parameters.iter().enumerate() {
        let param_pointer = pointer_push(
            &pointer_push(pointer.rsplit_once('/')?.0, "parameters"),
            &index.to_string(),
        );
        raw_params.push((param_pointer, param));
    }
    for (index, param) in op.parameters.iter().enumerate() {
        let param_pointer = pointer_push(&pointer_push(pointer, "parameters"), &index.to_string());
        let key = param_key(cx, param);
        raw_params.retain(|(_, existing)| key.is_none() || param_key(cx, existing) != key);
        raw_params.push((param_pointer, param));
    }

    let mut params = Vec::new();
    for (param_pointer, param) in raw_params {
        if let Some(param) = lower_param(cx, param, &param_pointer, &type_prefix) {
            params.push(param);
        }
    }
    // Path parameters first, in the order the template uses them.
    let (path_parts, order) = split_path(cx, path, &mut params, pointer);
    name_params(&mut params);
    let mut ordered: Vec<Param> = order.iter().map(|&i| params[i].clone()).collect();
    ordered.extend(
        params
            .into_iter()
            .filter(|p| p.location != ParamLocation::Path),
    );
    let path_parts = path_parts
        .into_iter()
        .map(|part| match part {
            PathPart::Param(i) => PathPart::Param(order.iter().position(|&o| o == i).unwrap_or(0)),
            literal => literal,
        })
        .collect();

    let body = op.request_body.as_ref().and_then(|body| {
        lower_body(
            cx,
            body,
            &pointer_push(pointer, "requestBody"),
            &type_prefix,
        )
    });
    let (success, accept) = lower_success(cx, op, pointer, &type_prefix);
    let errors = lower_errors(cx, op, pointer, &type_prefix);

    let doc = operation_doc(op);
    let pagination = pagination(cx, method, &ordered, &success);
    Some(Operation {
        id,
        const_name: naming::shouty(&method_name),
        builder: type_prefix.clone(),
        method_name,
        http_method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        path_parts,
        doc,
        params: ordered,
        body,
        success,
        accept,
        deprecated: op.deprecated,
        pagination,
        errors,
        error_enum: format!("{type_prefix}Error"),
        tags: op.tags.clone(),
        pointer: pointer.to_owned(),
    })
}

/// Query parameters that carry a page cursor, and response fields that hold the next one.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_page_token",
    "nextPageToken",
    "continuation_token",
    "continuationToken",
    "marker",
    "after",
];
const CURSOR_FIELDS: &[&str] = &[
    "cursor",
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "continuation_token",
    "continuationToken",
    "next_marker",
    "nextMarker",
    "after",
];

/// Detects the cursor pattern: a GET with an optional string cursor query parameter whose
/// JSON answer is an object with a string cursor field and exactly one array of items.
fn pagination(
    cx: &Lowerer<'_>,
    method: &str,
    params: &[Param],
    success: &Success,
) -> Option<crate::ir::Pagination> {
    if method != "get" {
        return None;
    }
    let cursor_param = params.iter().find(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && p.ty == TypeRef::String
            && CURSOR_PARAMS.contains(&p.wire.as_str())
    })?;
    let Success::Json(ty) = success else {
        return None;
    };
    let TypeRef::Named(id) = cx.resolve(ty)? else {
        return None;
    };
    let crate::ir::TypeKind::Struct(fields) = cx.slots[id.0].kind.as_ref()? else {
        return None;
    };
    let optional = |f: &crate::ir::Field| !f.required || f.nullable;
    let cursor = fields
        .iter()
        .find(|f| f.ty == TypeRef::String && CURSOR_FIELDS.contains(&f.wire.as_str()))?;
    let mut arrays = fields.iter().filter(|f| matches!(f.ty, TypeRef::Array(_)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(crate::ir::Pagination {
        cursor_param: cursor_param.name.clone(),
        cursor_field: cursor.name.clone(),
        cursor_optional: optional(cursor),
        items_field: items.name.clone(),
        items_optional: optional(items),
    })
}

/// A stable name for an operation without `operationId`: method and path words.
fn derived_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

fn resolve_param<'a>(cx: &Lowerer<'a>, param: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    match param {
        ReferenceOr::Item(param) => Some(param),
        ReferenceOr::Reference { reference } => cx.component_item(reference),
    }
}

fn param_key(cx: &Lowerer<'_>, param: &ReferenceOr<Parameter>) -> Option<(String, &'static str)> {
    let param = resolve_param(cx, param)?;
    let location = match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    };
    Some((param.parameter_data_ref().name.clone(), location))
}

fn lower_param(
    cx: &mut Lowerer<'_>,
    param: &ReferenceOr<Parameter>,
    pointer: &str,
    type_prefix: &str,
) -> Option<Param> {
    let Some(resolved) = resolve_param(cx, param) else {
        cx.error(
            pointer.to_owned(),
            "parameter `$ref` does not resolve to #/components/parameters",
        );
        return None;
    };
    let pointer = match param {
        ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_owned(),
        ReferenceOr::Item(_) => pointer.to_owned(),
    };
    let location = match resolved {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    };
    let data = resolved.parameter_data_ref();
    let doc = param_doc(cx, data);
    let constraints = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => super::constraints::of(cx, schema),
        ParameterSchemaOrContent::Content(_) => Default::default(),
    };
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let pascal = naming::pascal(&data.name);
            let context = Context::new(
                pascal.clone(),
                format!("{type_prefix}{pascal}"),
                pointer_push(&pointer, "schema"),
            );
            let ty = lower_ref(cx, schema, &context);
            cx.position(&context.pointer, &ty);
            ty
        }
        ParameterSchemaOrContent::Content(_) => {
            cx.error(
                pointer_push(&pointer, "content"),
                "parameters described by `content` are not supported yet",
            );
            return None;
        }
    };
    let (style, explode, allow_reserved) = super::style::param_style(cx, resolved, &ty, &pointer);
    let example_name = format!("{type_prefix}_param_{}", data.name);
    cx.record_example_set(
        data.example.as_ref(),
        &data.examples,
        &ty,
        &example_name,
        &pointer,
    );
    Some(Param {
        // Named by `name_params` with the operation's other parameters.
        name: String::new(),
        wire: data.name.clone(),
        location,
        ty,
        required: data.required || location == ParamLocation::Path,
        doc,
        deprecated: data.deprecated.unwrap_or(false),
        style,
        explode,
        allow_reserved,
        constraints,
    })
}

/// A parameter's doc: its own description, else its schema's (specs often describe a
/// parameter on its schema only), following a `$ref` to a component schema.
fn param_doc(cx: &Lowerer<'_>, data: &openapiv3::ParameterData) -> Option<String> {
    let own = data.description.as_ref().filter(|d| !d.trim().is_empty());
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => Some(schema),
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            cx.component_item::<openapiv3::Schema>(reference)
        }
        ParameterSchemaOrContent::Content(_) => None,
    };
    let from_schema = schema.and_then(|s| s.schema_data.description.as_ref());
    own.or(from_schema.filter(|d| !d.trim().is_empty()))
        .cloned()
}

/// Names an operation's parameters from their own names, whatever their order: path
/// parameters (the method's arguments and the request builder's fields) first, clear of the
/// builder's other fields and the locals of its methods ([`reserved::METHOD_LOCALS`]); then
/// the others (fields of the parameter struct, arguments when required, the request
/// builder's setters when optional), clear of the path parameters and of the builder's own
/// methods ([`reserved::REQUEST_BUILDER_METHODS`]). Within each group a parameter that is exactly its name wins, then
/// the shorter wire name, byte order, and the location (path, query, header, cookie).
fn name_params(params: &mut [Param]) {
    let location_rank = |location: ParamLocation| match location {
        ParamLocation::Path => 0u8,
        ParamLocation::Query => 1,
        ParamLocation::Header => 2,
        ParamLocation::Cookie => 3,
    };
    let mut taken: Vec<String> = Vec::new();
    for arguments in [true, false] {
        let group: Vec<usize> = (0..params.len())
            .filter(|&i| (params[i].location == ParamLocation::Path) == arguments)
            .collect();
        let claims: Vec<_> = group
            .iter()
            .map(|&i| {
                let param = &params[i];
                let name = naming::snake(&param.wire);
                let rank = (
                    naming::plain_rank(&param.wire, &name),
                    location_rank(param.location),
                );
                Claim::new(vec![name], rank)
            })
            .collect();
        let mut avoid: Vec<&str> = taken.iter().map(String::as_str).collect();
        avoid.extend_from_slice(if arguments {
            reserved::METHOD_LOCALS
        } else {
            reserved::REQUEST_BUILDER_METHODS
        });
        let names = naming::assign(&claims, &avoid);
        for (&index, name) in group.iter().zip(names) {
            taken.push(name.clone());
            params[index].name = name;
        }
    }
}

/// Splits a path template; returns the parts and, for each template variable in order, the
/// index of its parameter in `params`.
fn split_path(
    cx: &mut Lowerer<'_>,
    path: &str,
    params: &mut Vec<Param>,
    pointer: &str,
) -> (Vec<PathPart>, Vec<usize>) {
    let mut parts = Vec::new();
    let mut order = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        match params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire == name)
        {
            Some(index) if !order.contains(&index) => {
                parts.push(PathPart::Param(index));
                order.push(index);
            }
            Some(_) => cx.error(
                pointer.to_owned(),
                format!("path template variable {{{name}}} appears twice"),
            ),
            None => {
                // The spec forgot to declare it: a required string is all it can be.
                cx.warn(
                    pointer.to_owned(),
                    format!("path template variable {{{name}}} has no parameter; taken as a required string"),
                );
                params.push(Param {
                    name: String::new(),
                    wire: name.to_owned(),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    doc: None,
                    deprecated: false,
                    style: ParamStyle::Simple,
                    explode: false,
                    allow_reserved: false,
                    constraints: Default::default(),
                });
                parts.push(PathPart::Param(params.len() - 1));
                order.push(params.len() - 1);
            }
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    for (index, param) in params.iter().enumerate() {
        // Only the template's variables become arguments, so this one is simply not sent.
        if param.location == ParamLocation::Path && !order.contains(&index) {
            cx.warn(
                pointer.to_owned(),
                format!(
                    "path parameter `{}` does not appear in the path template; left out",
                    param.wire
                ),
            );
        }
    }
    (parts, order)
}

fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Text-like media types, read and sent as `String`.
fn is_text(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence.starts_with("text/")
        || essence == "application/xml"
        || essence.ends_with("+xml")
        || essence == "application/text"
        || essence == "application/javascript"
}

/// The request body media types in order of preference: JSON, form, multipart, text, bytes.
fn body_rank(media_type: &str) -> u8 {
    let essence = essence(media_type);
    if is_json(media_type) {
        0
    } else if essence == "application/x-www-form-urlencoded" {
        1
    } else if essence == "multipart/form-data" || essence.starts_with("multipart/") {
        2
    } else if is_text(media_type) {
        3
    } else {
        4
    }
}

fn lower_body(
    cx: &mut Lowerer<'_>,
    body: &ReferenceOr<RequestBody>,
    pointer: &str,
    type_prefix: &str,
) -> Option<Body> {
    let (body, pointer) = match body {
        ReferenceOr::Item(body) => (body, pointer.to_owned()),
        ReferenceOr::Reference { reference } => match cx.component_item::<RequestBody>(reference) {
            Some(body) => (body, reference.trim_start_matches('#').to_owned()),
            None => {
                cx.error(
                    pointer.to_owned(),
                    format!("request body `$ref` {reference:?} does not resolve"),
                );
                return None;
            }
        },
    };
    let content_pointer = pointer_push(&pointer, "content");
    let (media_type, media) = body
        .content
        .iter()
        .min_by_key(|(media_type, _)| body_rank(media_type))?;
    let schema_pointer = pointer_push(&pointer_push(&content_pointer, media_type), "schema");
    let name = format!("{type_prefix}Body");
    let context = Context::new(name.clone(), name, schema_pointer);
    let schema_type = |cx: &mut Lowerer<'_>| {
        let ty = match &media.schema {
            Some(schema) => lower_ref(cx, schema, &context),
            // No schema: the body may be anything.
            None => TypeRef::Json,
        };
        cx.position(&context.pointer, &ty);
        ty
    };
    let body = match body_rank(media_type) {
        0 => {
            let ty = schema_type(cx);
            let media_pointer = pointer_push(&content_pointer, media_type);
            cx.record_examples(
                media,
                &ty,
                &format!("{type_prefix}_request"),
                &media_pointer,
            );
            Body {
                encoding: BodyEncoding::Json(essence(media_type)),
                ty,
            }
        }
        1 => Body {
            encoding: BodyEncoding::Form,
            ty: schema_type(cx),
        },
        2 => {
            let ty = schema_type(cx);
            if !is_struct(cx, &ty) {
                cx.error(
                    context.pointer.clone(),
                    "a multipart body must be an object with properties (one part each)",
                );
                return None;
            }
            Body {
                encoding: BodyEncoding::Multipart,
                ty,
            }
        }
        3 => Body {
            encoding: BodyEncoding::Text(essence(media_type)),
            ty: TypeRef::String,
        },
        _ => Body {
            encoding: BodyEncoding::Bytes(essence(media_type)),
            ty: TypeRef::Binary,
        },
    };
    Some(body)
}

/// Whether `ty` names a struct (directly or through aliases).
fn is_struct(cx: &Lowerer<'_>, ty: &TypeRef) -> bool {
    match cx.resolve(ty) {
        Some(TypeRef::Named(id)) => {
            matches!(cx.slots[id.0].kind, Some(crate::ir::TypeKind::Struct(_)))
        }
        _ => false,
    }
}

/// The documented non-2xx responses whose body is JSON, in a stable order (codes, ranges,
/// then `default`). Responses without a JSON body need no variant: the untyped error keeps
/// their status and body.
fn lower_errors(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    type_prefix: &str,
) -> Vec<crate::ir::ErrorResponse> {
    use crate::ir::StatusMatch;
    let responses_pointer = pointer_push(pointer, "responses");
    let mut candidates: Vec<(StatusMatch, String, &ReferenceOr<Response>)> = Vec::new();
    for (code, response) in &op.responses.responses {
        let status = match code {
            StatusCode::Code(code) if (200..300).contains(code) => continue,
            StatusCode::Code(code) => StatusMatch::Code(*code),
            StatusCode::Range(2) => continue,
            StatusCode::Range(range) => StatusMatch::Range(*range),
        };
        candidates.push((status, code.to_string(), response));
    }
    if let Some(response) = &op.responses.default {
        candidates.push((StatusMatch::Default, "default".to_owned(), response));
    }
    candidates.sort_by_key(|(status, _, _)| *status);
    let mut variants = Scope::default();
    let mut errors = Vec::new();
    for (status, token, reference) in candidates {
        let pointer = pointer_push(&responses_pointer, &token);
        // An error response that does not resolve only loses its typed variant.
        let Ok((response, pointer)) = resolve_response(cx, reference, pointer) else {
            continue;
        };
        let Some((media_type, media)) = response
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
        else {
            continue;
        };
        let Some(schema) = &media.schema else {
            continue;
        };
        let label = match status {
            StatusMatch::Code(code) => format!("Status{code}"),
            StatusMatch::Range(range) => format!("Status{range}xx"),
            StatusMatch::Default => "Default".to_owned(),
        };
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(&pointer, "content"), media_type),
            "schema",
        );
        let context = error_body_context(reference, type_prefix, &label, schema_pointer);
        let ty = lower_ref(cx, schema, &context);
        cx.position(&context.pointer, &ty);
        errors.push(crate::ir::ErrorResponse {
            status,
            variant: variants.claim(label),
            ty,
        });
    }
    errors
}

/// Where the inline body schema of an error response sits, so that one documented error body
/// is one type across operations. A response from `#/components/responses/{key}` is named
/// after its key alone (`Unauthorized`): every operation that refers to it meets the same
/// name and the same shape, and gets the same type. An error response written inline is
/// named after its operation and status (`GetAlbumStatus401`), with the status
/// (`Status401`) as the short name under which identical bodies at the same status in other
/// operations are shared (see `Lowerer::register_inline`).
fn error_body_context(
    reference: &ReferenceOr<Response>,
    type_prefix: &str,
    label: &str,
    schema_pointer: String,
) -> Context {
    if let ReferenceOr::Reference { reference } = reference {
        if let Some(key) = super::refs::component_key::<Response>(reference) {
            let name = naming::pascal(&key);
            return Context::new(name.clone(), name, schema_pointer);
        }
    }
    Context::new(
        label.to_owned(),
        format!("{type_prefix}{label}"),
        schema_pointer,
    )
}

/// A response, following a `$ref` into `#/components/responses`, with the pointer of the
/// node that holds it; or the pointer and message of a reference that does not resolve.
fn resolve_response<'a>(
    cx: &Lowerer<'a>,
    response: &'a ReferenceOr<Response>,
    pointer: String,
) -> Result<(&'a Response, String), (String, String)> {
    match response {
        ReferenceOr::Item(response) => Ok((response, pointer)),
        ReferenceOr::Reference { reference } => match cx.component_item::<Response>(reference) {
            Some(response) => Ok((response, reference.trim_start_matches('#').to_owned())),
            None => Err((
                pointer,
                format!("response `$ref` {reference:?} does not resolve"),
            )),
        },
    }
}

/// The media type the client reads of `response`: JSON first; else the first other one
/// (OpenAPI keeps the spec's order).
fn read_media(response: &Response) -> Option<(&String, &openapiv3::MediaType)> {
    let content = &response.content;
    content
        .iter()
        .find(|(media_type, _)| is_json(media_type))
        .or_else(|| content.iter().next())
}

/// What a success answer carries, read from the spec before any schema is lowered: two
/// answers with equal shapes share one Rust type. Media types do not count (any `text/*` is a
/// `String`, any JSON media type decodes the same way).
#[derive(PartialEq)]
enum Shape<'a> {
    Empty,
    Text,
    Bytes,
    Json(Option<&'a ReferenceOr<openapiv3::Schema>>),
}

/// A documented answer that counts as a success, resolved.
struct Candidate<'a> {
    status: crate::ir::StatusMatch,
    /// The key under `responses` (`201`, `2XX`, `default`).
    token: String,
    response: &'a Response,
    /// Pointer of the response node (the component's, for a `$ref`).
    pointer: String,
}

impl<'a> Candidate<'a> {
    /// The media type the client reads: JSON first; else the first other one (OpenAPI keeps
    /// the spec's order).
    fn media(&self) -> Option<(&'a String, &'a openapiv3::MediaType)> {
        read_media(self.response)
    }

    fn shape(&self) -> Shape<'a> {
        match self.media() {
            None => Shape::Empty,
            Some((media_type, media)) if is_json(media_type) => Shape::Json(media.schema.as_ref()),
            Some((media_type, _)) if is_text(media_type) => Shape::Text,
            Some(_) => Shape::Bytes,
        }
    }
}

/// The success answers of an operation: every documented 2xx code and the `2XX` range; when
/// there is none, `default` (which then describes the successes too: OpenAPI 3.0.3 §4.7.16,
/// "a default MAY be used as a default response object for all HTTP codes that are not
/// covered individually"). One shape gives a plain type; several give [`Success::ByStatus`].
/// Also the operation's `Accept` header (see [`accept`]).
fn lower_success(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    type_prefix: &str,
) -> (Success, Option<String>) {
    use crate::ir::StatusMatch;
    let responses_pointer = pointer_push(pointer, "responses");
    let mut listed: Vec<(StatusMatch, String, &ReferenceOr<Response>)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, response)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => {
                Some((StatusMatch::Code(*c), code.to_string(), response))
            }
            StatusCode::Range(2) => Some((StatusMatch::Range(2), code.to_string(), response)),
            _ => None,
        })
        .collect();
    listed.sort_by_key(|(status, _, _)| *status);
    if listed.is_empty() {
        if let Some(response) = &op.responses.default {
            listed.push((StatusMatch::Default, "default".to_owned(), response));
        }
    }
    let mut candidates = Vec::new();
    for (status, token, response) in listed {
        match resolve_response(cx, response, pointer_push(&responses_pointer, &token)) {
            Ok((response, pointer)) => candidates.push(Candidate {
                status,
                token,
                response,
                pointer,
            }),
            Err((pointer, message)) => cx.error(pointer, message),
        }
    }
    let accept = if candidates.is_empty() {
        accept_without_success(cx, op)
    } else {
        accept(candidates.iter().map(|candidate| candidate.response))
    };
    (success_of(cx, &candidates, type_prefix), accept)
}

/// The `Accept` header an operation sends, when it is not the runtime's default
/// `application/json`: the media types of the answers it reads, in status order (RFC 9110
/// §12.5.1). A strict server answers 406 to `application/json` when it only documents, say,
/// `application/scim+json`, or `*/*`. Event streams set their own `Accept`.
fn accept<'a>(answers: impl Iterator<Item = &'a Response>) -> Option<String> {
    let mut media_types: Vec<String> = Vec::new();
    for response in answers {
        let Some((media_type, _)) = read_media(response) else {
            continue;
        };
        let media_type = essence(media_type);
        if media_type != "text/event-stream" && !media_types.contains(&media_type) {
            media_types.push(media_type);
        }
    }
    (media_types.iter().any(|m| m != "application/json")).then(|| media_types.join(", "))
}

/// The `Accept` header of an operation that documents no success answer (no 2xx, no
/// `default`) but answers that are not errors either: a `101 Switching Protocols` (a
/// WebSocket upgrade) or a redirect. It lists their media types; when they document no
/// content it asks for none in particular, `*/*` (RFC 9110 §12.5.1: the same as sending no
/// `Accept`), where the runtime's default would demand JSON the operation never promised.
/// With neither kind of answer (only errors) the default stays. An answer whose `$ref` does
/// not resolve is skipped here; nothing else reads these answers.
fn accept_without_success(cx: &Lowerer<'_>, op: &openapiv3::Operation) -> Option<String> {
    let answers: Vec<&Response> = op
        .responses
        .responses
        .iter()
        .filter(|(code, _)| match code {
            StatusCode::Code(c) => (100..200).contains(c) || (300..400).contains(c),
            StatusCode::Range(hundreds) => matches!(hundreds, 1 | 3),
        })
        .filter_map(|(_, response)| resolve_response(cx, response, String::new()).ok())
        .map(|(response, _)| response)
        .collect();
    if answers.is_empty() {
        return None;
    }
    accept(answers.iter().copied()).or_else(|| {
        let any_content = answers.iter().any(|answer| !answer.content.is_empty());
        (!any_content).then(|| "*/*".to_owned())
    })
}

/// The success type of the answers `candidates`.
fn success_of(cx: &mut Lowerer<'_>, candidates: &[Candidate<'_>], type_prefix: &str) -> Success {
    use crate::ir::{StatusMatch, SuccessVariant};
    let Some(first) = candidates.first() else {
        return Success::Empty;
    };
    let first_shape = first.shape();
    if candidates.iter().all(|c| c.shape() == first_shape) {
        return lower_success_body(cx, first, &format!("{type_prefix}Response"), type_prefix);
    }
    let mut names = Scope::default();
    let mut lowered: Vec<(Shape<'_>, Success)> = Vec::new();
    let mut variants = Vec::new();
    for candidate in candidates {
        let label = match candidate.status {
            StatusMatch::Code(code) => reason_variant(code)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Status{code}")),
            _ => "Status2xx".to_owned(),
        };
        let variant = names.claim(label);
        let shape = candidate.shape();
        // Two answers with one schema share its type (and lower it once).
        let body = match lowered.iter().find(|(seen, _)| *seen == shape) {
            Some((_, body)) => body.clone(),
            None => {
                let name = format!("{type_prefix}{variant}");
                let body = lower_success_body(cx, candidate, &name, type_prefix);
                lowered.push((shape, body.clone()));
                body
            }
        };
        variants.push(SuccessVariant {
            status: candidate.status,
            variant,
            doc: Some(candidate.response.description.clone()).filter(|d| !d.trim().is_empty()),
            body,
        });
    }
    Success::ByStatus {
        name: format!("{type_prefix}Response"),
        variants,
    }
}

/// The body of one success answer; an inline JSON schema becomes the type `name`.
fn lower_success_body(
    cx: &mut Lowerer<'_>,
    candidate: &Candidate<'_>,
    name: &str,
    type_prefix: &str,
) -> Success {
    let content_pointer = pointer_push(&candidate.pointer, "content");
    if let Some(stream) = event_stream(cx, candidate.response, &content_pointer, type_prefix) {
        return stream;
    }
    let Some((media_type, media)) = candidate.media() else {
        return Success::Empty;
    };
    if !is_json(media_type) {
        return if is_text(media_type) {
            Success::Text(essence(media_type))
        } else {
            Success::Bytes(essence(media_type))
        };
    }
    let media_pointer = pointer_push(&pointer_push(&candidate.pointer, "content"), media_type);
    let context = Context::new(
        name.to_owned(),
        name.to_owned(),
        pointer_push(&media_pointer, "schema"),
    );
    let ty = match &media.schema {
        Some(schema) => lower_ref(cx, schema, &context),
        None => TypeRef::Json,
    };
    cx.position(&context.pointer, &ty);
    cx.record_examples(
        media,
        &ty,
        &format!("{type_prefix}_{}", candidate.token),
        &media_pointer,
    );
    Success::Json(ty)
}

/// The variant name of a 2xx status: its reason phrase (RFC 9110 §15.3; 207 and 208 from
/// RFC 4918 and RFC 5842, 226 from RFC 3229), or `None` for a code without one.
fn reason_variant(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        _ => return None,
    })
}

/// A `text/event-stream` success answer (and no JSON one): a stream of server-sent events
/// whose `data` the media type's schema types (any JSON value without one).
fn event_stream(
    cx: &mut Lowerer<'_>,
    response: &Response,
    content_pointer: &str,
    type_prefix: &str,
) -> Option<Success> {
    if response
        .content
        .keys()
        .any(|media_type| is_json(media_type))
    {
        return None;
    }
    let (media_type, media) = response
        .content
        .iter()
        .find(|(media_type, _)| essence(media_type) == "text/event-stream")?;
    let ty = match &media.schema {
        Some(schema) => {
            let name = format!("{type_prefix}Event");
            let pointer = pointer_push(&pointer_push(content_pointer, media_type), "schema");
            lower_ref(cx, schema, &Context::new(name.clone(), name, pointer))
        }
        None => TypeRef::Json,
    };
    Some(Success::EventStream(ty))
}

#[cfg(test)]
mod tests {
    use crate::ir::{BodyEncoding, EventSource, SignatureScheme, Success, TypeKind, TypeRef};

    #[test]
    fn every_success_status_keeps_its_own_body() {
        use crate::ir::StatusMatch;
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: submit
      responses:
        '204': {description: duplicate}
        '201':
          description: done
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
        2XX:
          description: other
          content:
            text/plain:
              schema: {type: string}
        '202':
          description: queued
          content:
            application/json:
              schema: {type: integer}
        '299':
          description: also queued
          content:
            application/json:
              schema: {type: integer}
        default:
          description: error
          content:
            application/json:
              schema: {type: string}
"#;
        let document = crate::load::parse(spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        let Success::ByStatus { name, variants } = &api.operations[0].success else {
            panic!("{:?}", api.operations[0].success)
        };
        assert_eq!(name, "SubmitResponse");
        let got: Vec<(StatusMatch, &str)> = variants
            .iter()
            .map(|v| (v.status, v.variant.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (StatusMatch::Code(201), "Created"),
                (StatusMatch::Code(202), "Accepted"),
                (StatusMatch::Code(204), "NoContent"),
                (StatusMatch::Code(299), "Status299"),
                (StatusMatch::Range(2), "Status2xx"),
            ]
        );
        let Success::Json(TypeRef::Named(created)) = variants[0].body else {
            panic!("{:?}", variants[0].body)
        };
        assert_eq!(api.types[created.0].name, "SubmitCreated");
        assert_eq!(
            variants[1].body,
            Success::Json(TypeRef::Int(crate::ir::IntKind::I64))
        );
        assert_eq!(variants[3].body, variants[1].body);
        assert_eq!(variants[2].body, Success::Empty);
        assert_eq!(variants[4].body, Success::Text("text/plain".to_owned()));
        assert_eq!(variants[2].doc.as_deref(), Some("duplicate"));
    }

    #[test]
    fn one_shape_keeps_a_plain_type_and_default_alone_is_the_success() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: same
      responses:
        '200':
          description: a
          content: {application/json: {schema: {type: string}}}
        '201':
          description: b
          content: {application/problem+json: {schema: {type: string}}}
    put:
      operationId: onlyDefault
      responses:
        default:
          description: c
          content: {application/json: {schema: {type: boolean}}}
    delete:
      operationId: defaultAndError
      responses:
        '404': {description: d}
        default:
          description: e
"#;
        let document = crate::load::parse(spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        let success: Vec<(&str, &Success)> = api
            .operations
            .iter()
            .map(|op| (op.id.as_str(), &op.success))
            .collect();
        assert_eq!(
            success,
            [
                ("same", &Success::Json(TypeRef::String)),
                ("onlyDefault", &Success::Json(TypeRef::Bool)),
                ("defaultAndError", &Success::Empty),
            ]
        );
    }

    #[test]
    fn webhooks_become_events_with_their_body_type() {
        let spec = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  newPet:
    post:
      operationId: petCreated
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: [string, "null"]}
    get: {}
"#;
        let document = crate::load::parse(spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        assert!(api.operations.is_empty());
        assert_eq!(api.events.len(), 2);
        let (get, post) = (&api.events[0], &api.events[1]);
        assert_eq!((get.method.as_str(), get.body.is_none()), ("get", true));
        // Both are named after the webhook's key; the pointer settles which keeps the plain
        // name (`.../get` sorts first), whatever their order in the document.
        assert_eq!(get.name, "new_pet");
        assert_eq!(post.name, "new_pet2");
        assert_eq!(
            post.source,
            EventSource::Webhook {
                key: "newPet".into()
            }
        );
        assert_eq!((post.signature, post.unsigned), (None, true));
        assert_eq!(post.pointer, "/webhooks/newPet/post");
        let body = post.body.as_ref().unwrap();
        assert_eq!(
            body.encoding,
            BodyEncoding::Json("application/json".to_owned())
        );
        let TypeRef::Named(id) = body.ty else {
            panic!("{:?}", body.ty)
        };
        let def = &api.types[id.0];
        assert_eq!(def.name, "NewPet2EventBody");
        let TypeKind::Struct(fields) = &def.kind else {
            panic!("{:?}", def.kind)
        };
        assert!(fields[0].nullable);
    }

    const CALLBACKS: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /subscriptions:
    post:
      operationId: subscribe
      responses: {'201': {description: ok}}
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              operationId: receiveEvent
              x-webhook-signature: {scheme: SCHEME, unsigned: plain-json}
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {id: {type: integer}}}
              responses: {'200': {description: ok}}
        other:
          '{$request.body#/other}':
            put:
              responses: {'200': {description: ok}}
"#;

    #[test]
    fn callbacks_become_events_with_their_signature_scheme() {
        let spec = CALLBACKS.replace("SCHEME", "standard-webhooks");
        let document = crate::load::parse(&spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        assert_eq!(api.events.len(), 2);
        let (signed, other) = (&api.events[0], &api.events[1]);
        assert_eq!(signed.name, "receive_event");
        assert_eq!(
            signed.source,
            EventSource::Callback {
                operation: "subscribe".into(),
                name: "onEvent".into(),
                expression: "{$request.body#/url}".into()
            }
        );
        assert_eq!(
            (signed.signature, signed.unsigned),
            (Some(SignatureScheme::StandardWebhooks), true)
        );
        assert_eq!(
            signed.pointer,
            "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1url}/post"
        );
        assert_eq!(
            (other.name.as_str(), other.method.as_str()),
            ("other", "put")
        );
        assert_eq!((other.signature, other.unsigned), (None, true));
    }

    #[test]
    fn an_unknown_signature_scheme_is_a_located_error() {
        let spec = CALLBACKS.replace("SCHEME", "rsa-sha1");
        let document = crate::load::parse(&spec).unwrap();
        let Err(crate::Error::Unsupported(errors)) = crate::lower_document(&document) else {
            panic!("an unknown scheme must be refused")
        };
        assert!(errors.iter().all(|e| e.location.is_some()), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.pointer
                == "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1url}/post/x-webhook-signature/scheme"
                && e.message.contains("rsa-sha1")),
            "{errors:?}"
        );
    }

    #[test]
    fn an_event_stream_answer_types_each_event() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /ticks:
    get:
      operationId: ticks
      responses:
        '200':
          description: ok
          content:
            text/event-stream:
              schema: {type: object, properties: {n: {type: integer}}}
"#;
        let document = crate::load::parse(spec).unwrap();
        let api = crate::lower_document(&document).unwrap();
        let Success::EventStream(TypeRef::Named(id)) = &api.operations[0].success else {
            panic!("{:?}", api.operations[0].success)
        };
        assert_eq!(api.types[id.0].name, "TicksEvent");
    }
}
