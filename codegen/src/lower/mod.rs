//! Lowering: `openapiv3::OpenAPI` in, [`ir::Api`](crate::ir::Api) out.
//!
//! This is the only code that imports `openapiv3`. It resolves `$ref`s, merges `allOf`,
//! names inline schemas, settles optionality and defaults, and collects a [`Diagnostic`] with
//! the JSON pointer of everything it cannot represent (all of them, not just the first).

mod constraints;
mod operation;
mod refs;
mod schema;
mod security;
mod style;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{pointer_push, Diagnostic};
use crate::ir::{Api, Coverage, Literal, Server, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Claim, Scope};

/// Lowers a whole document; `raw` is the same document as JSON (for `$ref` siblings).
pub fn lower(doc: &OpenAPI, raw: &serde_json::Value) -> Result<Api, Vec<Diagnostic>> {
    let mut cx = Lowerer::new(doc, raw);
    cx.declare_components();
    cx.lower_components();
    let operations = operation::lower_operations(&mut cx);
    let events = operation::lower_events(&mut cx);
    let servers = cx.lower_servers();
    let security = cx.lower_security();
    let security_requirements = cx.lower_security_requirements(&security);
    let types = cx.finish_types();
    if !cx.diagnostics.is_empty() {
        cx.diagnostics.sort();
        cx.diagnostics.dedup();
        return Err(cx.diagnostics);
    }
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers,
        security,
        security_requirements,
        types,
        operations,
        examples: std::mem::take(&mut cx.examples),
        rate_limit: rate_limit(raw),
        events,
        warnings: std::mem::take(&mut cx.warnings),
        coverage: std::mem::take(&mut cx.coverage),
    })
}

/// A type slot while lowering: component types are named up front, inline ones at the end.
#[derive(Debug)]
struct Slot {
    /// Final name for components; `None` for inline types until [`Lowerer::finish_types`].
    name: Option<String>,
    /// Short and long candidate names of an inline type.
    candidates: (String, String),
    doc: Option<String>,
    pointer: String,
    kind: Option<TypeKind>,
}

/// Shared state of one lowering run.
pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    raw: &'a serde_json::Value,
    slots: Vec<Slot>,
    components: BTreeMap<String, TypeId>,
    /// Inline type slots by short name, to find an identical earlier one quickly.
    inline_by_short: BTreeMap<String, Vec<usize>>,
    /// Inline slots that are aliases of an identical earlier inline type, to the slot they
    /// alias (see [`Lowerer::register_inline`]).
    shared: BTreeMap<usize, usize>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Lossy mappings, reported but not fatal.
    warnings: Vec<Diagnostic>,
    /// Examples found next to JSON bodies, in spec order.
    pub(crate) examples: Vec<crate::ir::Example>,
    example_names: Scope,
    /// Every schema position lowered so far: its pointer and its type.
    positions: Vec<(String, TypeRef)>,
    /// Where a type fell back to any JSON value, and the short reason.
    fallbacks: Vec<(String, &'static str)>,
    /// The positions counted by what they became (filled in by [`Lowerer::finish_types`]).
    coverage: Coverage,
    /// The component `$ref`s whose properties an `allOf` merge is lowering inline right now,
    /// outermost first: a merge that would expand one of them again is a cycle.
    pub(crate) merging: Vec<String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, raw: &'a serde_json::Value) -> Self {
        Lowerer {
            doc,
            raw,
            slots: Vec::new(),
            components: BTreeMap::new(),
            inline_by_short: BTreeMap::new(),
            shared: BTreeMap::new(),
            examples: Vec::new(),
            warnings: Vec::new(),
            example_names: Scope::default(),
            diagnostics: Vec::new(),
            positions: Vec::new(),
            fallbacks: Vec::new(),
            coverage: Coverage::default(),
            merging: Vec::new(),
        }
    }

    /// Records a schema position (field, parameter, body, response, array item, map value)
    /// and the type it got, for [`Coverage`].
    pub(crate) fn position(&mut self, pointer: &str, ty: &TypeRef) {
        self.positions.push((pointer.to_owned(), ty.clone()));
    }

    /// Records that the schema at `pointer` became any JSON value although the spec meant
    /// something narrower: a warning with `message`, counted under `reason` in [`Coverage`].
    pub(crate) fn fallback(
        &mut self,
        pointer: impl Into<String>,
        reason: &'static str,
        message: impl Into<String>,
    ) {
        let pointer = pointer.into();
        self.fallbacks.push((pointer.clone(), reason));
        self.warn(pointer, message);
    }

    /// Counts the recorded positions: precise, any JSON asked for, any JSON as a fallback.
    /// A named type counts as what it aliases; any JSON is a fallback when a fallback was
    /// recorded at or under the position (or the alias's schema).
    fn count_coverage(&self) -> Coverage {
        let mut coverage = Coverage::default();
        for (pointer, ty) in &self.positions {
            match self.classify(ty, pointer, 0) {
                None => coverage.precise += 1,
                Some(None) => coverage.asked_any += 1,
                Some(Some(reason)) => {
                    coverage.fallback += 1;
                    *coverage
                        .fallback_reasons
                        .entry(reason.to_owned())
                        .or_default() += 1;
                }
            }
        }
        coverage
    }

    /// `None` for a precise type; `Some(None)` for any JSON the spec asks for;
    /// `Some(Some(reason))` for a fallback.
    fn classify(&self, ty: &TypeRef, pointer: &str, depth: usize) -> Option<Option<&'static str>> {
        match ty {
            TypeRef::Nullable(inner) => self.classify(inner, pointer, depth),
            TypeRef::Json => Some(
                self.fallbacks
                    .iter()
                    .find(|(at, _)| {
                        at == pointer
                            || at
                                .strip_prefix(pointer)
                                .is_some_and(|rest| rest.starts_with('/'))
                    })
                    .map(|(_, reason)| *reason),
            ),
            TypeRef::Named(id) if depth < 32 => match &self.slots[id.0].kind {
                Some(TypeKind::Alias(inner)) => {
                    self.classify(inner, &self.slots[id.0].pointer, depth + 1)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Records a lossy but workable mapping (for example a dangling `$ref` typed as any JSON).
    pub(crate) fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(pointer, message));
    }

    pub(crate) fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(pointer, message));
    }

    /// Records the examples of a JSON media type (`example` and every `examples` entry) as
    /// instances of `ty`; `name` prefixes their names.
    pub(crate) fn record_examples(
        &mut self,
        media: &openapiv3::MediaType,
        ty: &crate::ir::TypeRef,
        name: &str,
        pointer: &str,
    ) {
        self.record_example_set(media.example.as_ref(), &media.examples, ty, name, pointer);
    }

    /// Records `example` and each of `examples` (media types and parameters both have them).
    pub(crate) fn record_example_set(
        &mut self,
        example: Option<&serde_json::Value>,
        examples: &indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>,
        ty: &crate::ir::TypeRef,
        name: &str,
        pointer: &str,
    ) {
        let mut found: Vec<(String, String, serde_json::Value)> = Vec::new();
        if let Some(value) = example {
            found.push((
                name.to_owned(),
                pointer_push(pointer, "example"),
                value.clone(),
            ));
        }
        for (key, example) in examples {
            let example_pointer = pointer_push(&pointer_push(pointer, "examples"), key);
            let example = match example {
                ReferenceOr::Item(example) => Some(example),
                ReferenceOr::Reference { reference } => {
                    self.component_item::<openapiv3::Example>(reference)
                }
            };
            if let Some(value) = example.and_then(|example| example.value.clone()) {
                found.push((
                    format!("{name}_{key}"),
                    pointer_push(&example_pointer, "value"),
                    value,
                ));
            }
        }
        for (name, pointer, value) in found {
            let name = self.example_names.claim(naming::snake(&name));
            let json = serde_json::to_string(&value).unwrap_or_default();
            self.examples.push(crate::ir::Example {
                name,
                ty: ty.clone(),
                json,
                pointer,
            });
        }
    }

    /// The raw JSON node at `pointer`, if present.
    pub(crate) fn raw_at(&self, pointer: &str) -> Option<&'a serde_json::Value> {
        self.raw.pointer(pointer)
    }

    /// Gives every component schema its final name before any schema body is lowered, so
    /// that `$ref`s (including recursive ones) resolve to stable ids.
    fn declare_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let keys: Vec<&String> = components.schemas.keys().collect();
        let claims: Vec<_> = keys.iter().map(|key| component_claim(key)).collect();
        let names = naming::assign(&claims, &[]);
        for (key, name) in keys.into_iter().zip(names) {
            let id = TypeId(self.slots.len());
            self.slots.push(Slot {
                name: Some(name),
                candidates: Default::default(),
                doc: None,
                pointer: pointer_push("/components/schemas", key),
                kind: None,
            });
            self.components.insert(key.clone(), id);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let id = self.components[key];
            let pointer = self.slots[id.0].pointer.clone();
            let name = self.slots[id.0].name.clone().unwrap_or_default();
            let context = schema::Context::named(&name, &pointer);
            let (kind, doc) = schema::lower_named(self, schema, &context);
            self.slots[id.0].kind = Some(kind);
            self.slots[id.0].doc = doc;
            if let ReferenceOr::Item(item) = schema {
                if let Some(example) = &item.schema_data.example {
                    let ty = TypeRef::Named(id);
                    let name = format!("{name}_schema");
                    self.record_example_set(
                        Some(example),
                        &Default::default(),
                        &ty,
                        &name,
                        &pointer,
                    );
                }
            }
        }
    }

    /// Resolves `#/components/schemas/X` to its type id.
    pub(crate) fn component_id(&self, reference: &str) -> Option<TypeId> {
        let key = refs::component_key::<openapiv3::Schema>(reference)?;
        self.components.get(&key).copied()
    }

    /// The component schema behind a `$ref`, for merging (`allOf`) and for defaults.
    pub(crate) fn component_schema(
        &self,
        reference: &str,
    ) -> Option<&'a ReferenceOr<openapiv3::Schema>> {
        self.component(reference)
    }

    /// `ty` with aliases followed, as far as the types are lowered yet (see
    /// [`crate::ir::resolve_aliases`]).
    pub(crate) fn resolve<'s>(&'s self, ty: &'s TypeRef) -> Option<&'s TypeRef> {
        crate::ir::resolve_aliases(ty, |id| self.slots.get(id.0)?.kind.as_ref())
    }

    /// Registers an inline type and returns its id. Identical inline types with the same
    /// short name are one type, so the same inline enum used in many places is defined once;
    /// every later place still gets its own name, as an alias of the first (`pub type
    /// TicketStatus = OrderStatus;`), so that a place's name never depends on which place
    /// came first: reordering or adding places only moves the definition between names.
    pub(crate) fn register_inline(
        &mut self,
        short: String,
        long: String,
        doc: Option<String>,
        pointer: String,
        kind: TypeKind,
    ) -> TypeId {
        let canonical = self.canonical(&kind);
        let existing = self.inline_by_short.get(&short).and_then(|same_short| {
            same_short.iter().copied().find(|&index| {
                self.slots[index]
                    .kind
                    .as_ref()
                    .is_some_and(|other| self.canonical(other) == canonical)
            })
        });
        if let Some(existing) = existing {
            if self.slots[existing].candidates.1 == long {
                return TypeId(existing);
            }
            let id = TypeId(self.slots.len());
            self.shared.insert(id.0, existing);
            self.slots.push(Slot {
                name: None,
                candidates: (short, long),
                doc,
                pointer,
                kind: Some(TypeKind::Alias(TypeRef::Named(TypeId(existing)))),
            });
            return id;
        }
        self.inline_by_short
            .entry(short.clone())
            .or_default()
            .push(self.slots.len());
        let id = TypeId(self.slots.len());
        self.slots.push(Slot {
            name: None,
            candidates: (short, long),
            doc,
            pointer,
            kind: Some(kind),
        });
        id
    }

    /// `kind` with every alias made by [`Lowerer::register_inline`] replaced by the type it
    /// aliases, so that identical inline types compare equal wherever their parts were named.
    fn canonical(&self, kind: &TypeKind) -> TypeKind {
        let id = |id: TypeId| TypeId(self.shared.get(&id.0).copied().unwrap_or(id.0));
        fn walk(ty: &TypeRef, id: &dyn Fn(TypeId) -> TypeId) -> TypeRef {
            match ty {
                TypeRef::Named(named) => TypeRef::Named(id(*named)),
                TypeRef::Array(inner) => TypeRef::Array(Box::new(walk(inner, id))),
                TypeRef::Map(inner) => TypeRef::Map(Box::new(walk(inner, id))),
                TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(walk(inner, id))),
                other => other.clone(),
            }
        }
        let mut kind = kind.clone();
        match &mut kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    field.ty = walk(&field.ty, &id);
                    if let Some(Literal::Variant(target, _)) = &mut field.default {
                        *target = id(*target);
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    variant.ty = walk(&variant.ty, &id);
                }
            }
            TypeKind::Alias(target) => *target = walk(target, &id),
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
        }
        kind
    }

    /// Names inline types (by their context-qualified name) and returns the finished type
    /// list.
    fn finish_types(&mut self) -> Vec<TypeDef> {
        self.resolve_enum_defaults();
        self.break_alias_cycles();
        self.coverage = self.count_coverage();
        // An inline type is named after its place (`OrderStatus` for the `status` property
        // of `Order`): a function of that place alone, so that adding a schema elsewhere
        // never renames it. A short name (`Status`) would have to yield whenever another
        // `status` turned up anywhere. Component names come first; inline types that meet
        // in one name are settled by their pointers, not by their order.
        let components: Vec<&str> = self
            .slots
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect();
        let inline: Vec<usize> = (0..self.slots.len())
            .filter(|&index| self.slots[index].name.is_none())
            .collect();
        let claims: Vec<_> = inline
            .iter()
            .map(|&index| {
                let slot = &self.slots[index];
                Claim::new(vec![slot.candidates.1.clone()], slot.pointer.clone())
            })
            .collect();
        let inline_names = naming::assign(&claims, &components);
        let mut names: Vec<String> = self
            .slots
            .iter()
            .map(|slot| slot.name.clone().unwrap_or_default())
            .collect();
        for (index, name) in inline.into_iter().zip(inline_names) {
            names[index] = name;
        }
        self.slots
            .iter_mut()
            .zip(names)
            .map(|(slot, name)| TypeDef {
                name,
                doc: slot.doc.take(),
                pointer: std::mem::take(&mut slot.pointer),
                kind: slot.kind.take().unwrap_or(TypeKind::Alias(TypeRef::Json)),
            })
            .collect()
    }

    /// Turns `Literal::Variant(id, wire value)` defaults into `Literal::Variant(id, variant
    /// name)`, following aliases; a default that names no variant is dropped.
    fn resolve_enum_defaults(&mut self) {
        for index in 0..self.slots.len() {
            let Some(TypeKind::Struct(fields)) = &self.slots[index].kind else {
                continue;
            };
            let resolved: Vec<Option<Literal>> = fields
                .iter()
                .map(|field| match &field.default {
                    Some(Literal::Variant(id, wire)) => self.variant_named(*id, wire),
                    other => other.clone(),
                })
                .collect();
            if let Some(TypeKind::Struct(fields)) = &mut self.slots[index].kind {
                for (field, default) in fields.iter_mut().zip(resolved) {
                    field.default = default;
                }
            }
        }
    }

    /// `A: {$ref: B}`, `B: {$ref: A}` would be `type A = B; type B = A;`, which does not
    /// compile: such a loop describes no value, so its members become any JSON value.
    fn break_alias_cycles(&mut self) {
        for start in 0..self.slots.len() {
            let mut seen = vec![start];
            let mut current = start;
            while let Some(TypeKind::Alias(TypeRef::Named(next))) = &self.slots[current].kind {
                if seen.contains(&next.0) {
                    if next.0 == start {
                        let pointer = self.slots[start].pointer.clone();
                        self.fallback(pointer, "$ref cycle", "this schema only refers to itself through `$ref`s; typed as any JSON value");
                        self.slots[start].kind = Some(TypeKind::Alias(TypeRef::Json));
                    }
                    break;
                }
                seen.push(next.0);
                current = next.0;
            }
        }
    }

    /// The variant of the string enum `id` (or the enum its aliases name) written `wire`.
    fn variant_named(&self, id: TypeId, wire: &str) -> Option<Literal> {
        let start = TypeRef::Named(id);
        let TypeRef::Named(id) = *self.resolve(&start)? else {
            return None;
        };
        match self.slots[id.0].kind.as_ref()? {
            TypeKind::StringEnum { variants, .. } => variants
                .iter()
                .find(|v| v.wire == wire)
                .map(|v| Literal::Variant(id, v.name.clone())),
            _ => None,
        }
    }

    fn lower_servers(&mut self) -> Vec<Server> {
        let mut scope = Scope::default();
        let mut servers = Vec::new();
        for (index, server) in self.doc.servers.iter().enumerate() {
            let pointer = format!("/servers/{index}");
            let mut url = server.url.clone();
            if let Some(variables) = &server.variables {
                for (name, variable) in variables {
                    url = url.replace(&format!("{{{name}}}"), &variable.default);
                }
            }
            if url.contains('{') {
                self.warn(
                    pointer,
                    format!(
                        "server URL {url:?} has a variable without a definition; server left out"
                    ),
                );
                continue;
            }
            let url = url.trim_end_matches('/').to_owned();
            let label = match &server.description {
                Some(description) if description.len() <= 40 => description.clone(),
                _ => url.split("://").nth(1).unwrap_or(&url).to_owned(),
            };
            servers.push(Server {
                variant: scope.claim(naming::pascal(&label)),
                url,
                description: server.description.clone(),
            });
        }
        servers
    }
}

/// The client's default rate limit from the `x-rate-limit` extension
/// (`{requests: 1200, period: minute}`; period `second`, `minute`, `hour`, `day` or a number
/// of seconds): the document's own, or else the one most operations state (ties go to the
/// stricter limit).
fn rate_limit(raw: &serde_json::Value) -> Option<crate::ir::RateLimit> {
    fn parse(node: &serde_json::Value) -> Option<crate::ir::RateLimit> {
        let limit = node.get("x-rate-limit")?;
        let requests = u32::try_from(limit.get("requests")?.as_u64()?)
            .ok()
            .filter(|r| *r > 0)?;
        let period = limit.get("period")?;
        let period_seconds = match period.as_str() {
            Some("second") => 1,
            Some("minute") => 60,
            Some("hour") => 3600,
            Some("day") => 86_400,
            Some(_) => return None,
            None => period.as_u64().filter(|p| *p > 0)?,
        };
        Some(crate::ir::RateLimit {
            requests,
            period_seconds,
        })
    }
    if let Some(limit) = parse(raw) {
        return Some(limit);
    }
    let mut counts: BTreeMap<crate::ir::RateLimit, usize> = BTreeMap::new();
    for item in raw.get("paths")?.as_object()?.values() {
        for op in item.as_object().into_iter().flat_map(|ops| ops.values()) {
            if let Some(limit) = parse(op) {
                *counts.entry(limit).or_default() += 1;
            }
        }
    }
    let strictness = |l: &crate::ir::RateLimit| {
        u128::from(l.requests) * 1_000_000 / u128::from(l.period_seconds)
    };
    counts
        .into_iter()
        .max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| strictness(b).cmp(&strictness(a))))
        .map(|(limit, _)| limit)
}

/// How a `components.schemas` key asks for its type name: dotted keys
/// (`schemas.webhook.WebhookProto`) after their last segment (`WebhookProto`), then
/// qualified by one more of their own segments at a time (`WebhookWebhookProto`, ...); the
/// key whose last segment is closest to its name ranks first, then fewer segments, the
/// shorter key, byte order (see [`naming`] for the rule and what it guarantees).
fn component_claim(key: &str) -> Claim<(usize, usize, usize, String)> {
    // A few qualified choices, then the whole key: a hostile key with thousands of
    // segments costs no more than a short one.
    const MAX_QUALIFIED: usize = 8;
    let segments: Vec<&str> = key.split('.').filter(|s| !s.is_empty()).collect();
    let mut choices: Vec<String> = Vec::new();
    let counts = (1..=segments.len().min(MAX_QUALIFIED))
        .chain((segments.len() > MAX_QUALIFIED).then_some(segments.len()));
    for count in counts {
        let name = naming::pascal(&segments[segments.len() - count..].join(" "));
        if !choices.contains(&name) {
            choices.push(name);
        }
    }
    if choices.is_empty() {
        choices.push(naming::pascal(key));
    }
    let last = segments.last().copied().unwrap_or(key);
    let rank = (
        naming::distance(last, &choices[0]),
        segments.len(),
        key.len(),
        key.to_owned(),
    );
    Claim::new(choices, rank)
}

#[cfg(test)]
mod tests {
    use super::component_claim;

    #[test]
    fn component_claims_qualify_by_their_own_segments_and_stay_short() {
        let claim = component_claim("schemas.websocket.WebhookProto");
        assert_eq!(
            claim.choices,
            [
                "WebhookProto",
                "WebsocketWebhookProto",
                "SchemasWebsocketWebhookProto"
            ]
        );
        // A hostile key: a few qualified choices, then the whole key.
        let key = vec!["a"; 5000].join(".");
        let claim = component_claim(&key);
        assert_eq!(claim.choices.len(), 9);
        assert_eq!(claim.choices[0], "A");
        assert_eq!(claim.choices[8].len(), 5000);
    }
}
