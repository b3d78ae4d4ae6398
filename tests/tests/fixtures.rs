//! Focused fixtures: one small spec per family of constructs, and what the generated code
//! must say about each. The code inspected here is generated in memory exactly as the
//! snapshot test (`tests/snapshots.rs`) checks it against `tests/snapshots/<fixture>/`, and
//! those snapshot crates are workspace members, compiled and clippy-checked with the rest:
//! no assertion here can bless code that does not build.

use forge_codegen::{Error, File, Settings};
use forge_tests::fixture;

/// The generated crate of the fixture `name`, as its snapshot holds it.
fn generate(name: &str) -> Vec<File> {
    fixture::named(name).generate()
}

fn file<'a>(files: &'a [File], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

fn items(source: &str) -> syn::File {
    syn::parse_file(source).expect("generated file parses")
}

/// Names of the top-level structs, enums and type aliases of a generated file.
fn type_names(source: &str) -> Vec<String> {
    items(source)
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn struct_fields(source: &str, name: &str) -> Vec<(String, String)> {
    let file = items(source);
    let item = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"));
    item.fields
        .iter()
        .map(|field| {
            let ty = &field.ty;
            (
                field.ident.as_ref().expect("named field").to_string(),
                quote_type(ty),
            )
        })
        .collect()
}

fn quote_type(ty: &syn::Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream()
        .to_string()
        .replace(' ', "")
        .replace(",>", ">")
}

#[test]
fn names_are_valid_unique_and_keep_the_wire_spelling() {
    let files = generate("naming");
    let types = file(&files, "src/types.rs");
    let names = type_names(types);
    // Prelude names are never shadowed; dotted keys that share a last segment stay distinct
    // (the shorter key keeps the plain name, the other is qualified by its own segment).
    for expected in [
        "StringType",
        "OptionType",
        "WebhookProto",
        "WebsocketWebhookProto",
    ] {
        assert!(
            names.contains(&expected.to_owned()),
            "{expected} missing from {names:?}"
        );
    }
    let fields: Vec<String> = struct_fields(types, "StringType")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        fields,
        [
            "type_",
            "self_",
            "self_2",
            "crate_",
            "super_",
            "_1st",
            // `fooBar` comes first in the spec, but `foo_bar` is exactly the name.
            "foo_bar2",
            "foo_bar",
            "empty",
            "odata_type"
        ]
    );
    for wire in [
        "\"type\"",
        "\"self\"",
        "\"Self\"",
        "\"1st\"",
        "\"fooBar\"",
        "\"\"",
        "\"@odata.type\"",
    ] {
        assert!(
            types.contains(&format!("rename = {wire}")),
            "no rename to {wire}"
        );
    }
    // Enum values that collide after case conversion get distinct variants; the catch-all
    // steps aside for a real `Other` value.
    for variant in [
        "EnAu,",
        "EnAu2,",
        "Plus1,",
        "Minus1,",
        "Empty,",
        "Abc,",
        "Abc2,",
        "Other,",
        "N1080p,",
        "Other2(String)",
    ] {
        assert!(types.contains(variant), "variant {variant} missing");
    }
    let client = file(&files, "src/client.rs");
    assert!(
        client.contains("pub fn get_thing<'a>("),
        "operationId with a space"
    );
    assert!(
        client.contains("pub fn get_things<'a>("),
        "derived from method and path"
    );
    assert!(client.contains("pub fn _2fa_enroll<'a>("), "leading digit");
    assert!(client.contains("type_: &'a str"), "keyword path parameter");
    assert!(file(&files, "src/builders.rs").contains("pub(super) self_: Option<String>"));
}

#[test]
fn shapes_map_to_precise_types() {
    let files = generate("shapes");
    let types = file(&files, "src/types.rs");
    let order = struct_fields(types, "Order");
    let expect = [
        ("id", "i64"),
        ("created", "Option<::forge_runtime::DateTime>"),
        ("status", "OrderStatus"),
        ("priority", "Option<OrderPriority>"),
        ("quantity", "Option<i32>"),
        ("note", "Option<String>"),
        ("due", "Option<::forge_runtime::Date>"),
        ("shipping", "Option<OrderShipping>"),
        (
            "labels",
            "Option<::std::collections::BTreeMap<String,String>>",
        ),
        (
            "metadata",
            "Option<::std::collections::BTreeMap<String,::forge_runtime::serde_json::Value>>",
        ),
        ("anything", "Option<::forge_runtime::serde_json::Value>"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(order, expect);
    // The identical `status` enums of Order, Ticket and the query parameter are one type,
    // defined once; each other place names it through an alias of its own (so no place's
    // name depends on which came first). The two different `priority` enums are told apart
    // by their owners.
    let names = type_names(types);
    assert!(types.contains("pub enum OrderStatus {"), "{names:?}");
    for alias in ["TicketStatus", "ListOrdersStatus"] {
        assert!(
            types.contains(&format!("pub type {alias} = OrderStatus;")),
            "{alias}: {names:?}"
        );
    }
    assert!(
        names.contains(&"OrderPriority".to_owned()) && names.contains(&"TicketPriority".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"OrderShippingGeo".to_owned()), "{names:?}");
    // Recursion through an inline field is boxed; through a Vec it is not.
    let node = struct_fields(types, "Node");
    assert!(
        node.contains(&("parent".to_owned(), "Option<Box<Node>>".to_owned())),
        "{node:?}"
    );
    assert!(
        node.contains(&("children".to_owned(), "Option<Vec<Node>>".to_owned())),
        "{node:?}"
    );
    assert!(
        node.contains(&("scores".to_owned(), "Option<Vec<Option<i64>>>".to_owned())),
        "{node:?}"
    );
    // Named properties plus a map of the others; a required read-only property is optional
    // (requests leave it out).
    let counted = struct_fields(types, "Counted");
    assert_eq!(
        counted,
        [
            ("id".to_owned(), "Option<i64>".to_owned()),
            ("name".to_owned(), "String".to_owned()),
            (
                "additional_properties".to_owned(),
                "::std::collections::BTreeMap<String,i64>".to_owned()
            ),
        ]
    );
    assert!(types.contains("#[serde(flatten)]"));
    // A component that is itself nullable makes every reference to it nullable.
    assert_eq!(
        struct_fields(types, "Issue"),
        [
            ("assignee".to_owned(), "Option<NullableUser>".to_owned()),
            (
                "watchers".to_owned(),
                "Option<Vec<Option<NullableUser>>>".to_owned()
            ),
        ]
    );
    // `explode: false` joins a query array into one pair: the runtime is told the style.
    let compact = file(&files, "src/builders.rs").replace(char::is_whitespace, "");
    assert!(compact.contains(
        r#".param("ids",&ids,::forge_runtime::ParamStyle::new(::forge_runtime::ParamLocation::Query,::forge_runtime::Style::Form,false,),)"#
    ));
    // Defaults: functions returning the spec's value, used only when the field is absent.
    assert!(types.contains("Some(OrderPriority::Low)"));
    assert!(types.contains("fn default_order_quantity() -> Option<i32>"));
    // Server variables take their defaults; the trailing slash goes.
    assert!(file(&files, "src/client.rs").contains("\"https://eu.example.com/v1\""));
    // A required date-time query parameter, and an array one.
    let params = struct_fields(file(&files, "src/builders.rs"), "ListOrders");
    assert!(
        params.contains(&("since".to_owned(), "::forge_runtime::DateTime".to_owned())),
        "{params:?}"
    );
    assert!(
        params.contains(&("ids".to_owned(), "Option<Vec<i64>>".to_owned())),
        "{params:?}"
    );
}

#[test]
fn hostile_strings_stay_data() {
    let files = generate("hostile");
    for generated in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let file = items(&generated.contents);
        // No item may appear that the generator did not mean to write.
        for item in &file.items {
            let allowed = matches!(
                item,
                syn::Item::Struct(_)
                    | syn::Item::Enum(_)
                    | syn::Item::Impl(_)
                    | syn::Item::Const(_)
                    | syn::Item::Type(_)
                    | syn::Item::Mod(_)
                    | syn::Item::Use(_)
                    | syn::Item::Fn(_)
            );
            assert!(allowed, "unexpected item in {}: {item:?}", generated.path);
            // Free functions: serde defaults, and the builders' private request functions
            // (named after the operation's method).
            if let (syn::Item::Fn(function), false) = (item, generated.path == "src/builders.rs") {
                assert!(
                    function.sig.ident.to_string().starts_with("default_"),
                    "{}",
                    function.sig.ident
                );
            }
        }
        // Spec text may appear in comments, never in code.
        let code_lines = generated
            .contents
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"));
        for line in code_lines {
            assert!(
                !line.contains("fn injected") && !line.contains("exit(2)"),
                "{}: {line}",
                generated.path
            );
        }
        assert!(
            !generated.contents.contains("```rust"),
            "{}: a rust code block would be a doctest",
            generated.path
        );
    }
    let types = file(&files, "src/types.rs");
    // The property name survives verbatim as a serde rename (for `Serialize`, which only the
    // serde-both-ways feature derives: `Evil` is only read) and as a string literal of the
    // written-out `Deserialize` (among the `object::Object` impl's wire names).
    let evil = items(types);
    let deserialize = evil
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_some() => {
                Some(quote::ToTokens::to_token_stream(i).to_string())
            }
            _ => None,
        })
        .expect("Evil's object::Object impl");
    assert!(
        deserialize.contains(r#""\"); std::process::exit(1); //""#),
        "{deserialize}"
    );
    let renames: Vec<String> = evil
        .items
        .iter()
        .flat_map(|item| match item {
            syn::Item::Struct(s) => s
                .fields
                .iter()
                .flat_map(|f| f.attrs.clone())
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .filter(|attr| attr.path().is_ident("serde") || attr.path().is_ident("cfg_attr"))
        .map(|attr| quote::ToTokens::to_token_stream(&attr).to_string())
        .collect();
    assert!(
        renames
            .iter()
            .any(|r| r.contains(r#"rename = "\"); std::process::exit(1); //""#)),
        "{renames:?}"
    );
}

#[test]
fn unsupported_constructs_are_all_listed_with_pointers_and_lines() {
    let spec = "openapi: 3.0.3\n\
info: {title: t, version: '1'}\n\
paths:\n  /a:\n    get:\n      parameters:\n        - {name: c, in: query, content: {application/json: {schema: {type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                not: {type: string}\n\
components:\n  schemas:\n    Broken:\n      type: object\n      properties:\n        x:\n          $ref: '#/components/schemas/Missing'\n        y:\n          allOf: [{type: string}, {type: integer}]\n";
    let document = forge_codegen::load::parse(spec).expect("parses");
    let err = forge_codegen::generate(&document, &Settings::new("bad")).expect_err("must refuse");
    let Error::Unsupported(diagnostics) = &err else {
        panic!("unexpected error {err}")
    };
    let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Broken/properties/y",
            "/paths/~1a/get/parameters/0/content",
            "/paths/~1a/get/responses/200/content/application~1json/schema",
        ]
    );
    assert!(diagnostics.iter().all(|d| d.location.is_some()), "{err}");
    assert_eq!(diagnostics[1].location, Some((7, 32)), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("described by `content`")
            && text.contains("`not`")
            && text.contains("non-object schemas"),
        "{text}"
    );
}

/// The warnings of a fixture as `pointer (line N)` strings, in order.
fn warnings(name: &str) -> Vec<String> {
    let document = fixture::named(name).document();
    let (_, warnings) = forge_codegen::generate_with_warnings(&document, &Settings::new("w"))
        .unwrap_or_else(|err| panic!("{name}: {err}"));
    warnings
        .iter()
        .map(|w| match w.location {
            Some((line, _)) => format!("{} (line {line})", w.pointer),
            None => format!("{} (no line)", w.pointer),
        })
        .collect()
}

#[test]
fn openapi_3_1_constructs_map_to_the_types_3_0_would_give() {
    let files = generate("openapi31");
    let types = file(&files, "src/types.rs");
    let pet = struct_fields(types, "Pet");
    let expect = [
        ("name", "String"),
        ("kind", "PetKind"),
        ("age", "Option<i64>"),
        // Optional and nullable in a type the client sends: three states.
        ("nickname", "::forge_runtime::Nullable<String>"),
        ("weight", "Option<f64>"),
        ("badge", "Option<PetBadge>"),
        ("owner", "Option<Owner>"),
        ("collar", "Option<Collar>"),
        ("position", "Option<Vec<f64>>"),
        ("thumbnail", "Option<String>"),
        (
            "gone",
            "::forge_runtime::Nullable<::forge_runtime::serde_json::Value>",
        ),
        (
            "labels",
            "Option<::std::collections::BTreeMap<String,String>>",
        ),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(pet, expect);
    let names = type_names(types);
    for name in ["Pet", "PetKind", "Owner", "Adoption", "Collar", "PetBadge"] {
        assert!(names.contains(&name.to_owned()), "{name} in {names:?}");
    }
    let client = file(&files, "src/client.rs");
    for method in ["list_pets", "add_pet", "put_photo", "ping_pet"] {
        assert!(
            client.contains(&format!("pub fn {method}<'a>(")),
            "{method}"
        );
    }
    assert_eq!(
        struct_fields(types, "PutPhotoBody"),
        [("photo".to_owned(), "::forge_runtime::Binary".to_owned())],
        "a PNG part is bytes"
    );
    let lib = file(&files, "src/lib.rs");
    assert!(
        lib.contains("Pets, their tags and the events about them"),
        "info.summary"
    );
    assert_eq!(
        warnings("openapi31"),
        [
            "/components/schemas/Owner/dependentRequired (line 147)",
            "/components/schemas/Owner/if (line 149)",
            "/components/schemas/Owner/unevaluatedProperties (line 153)",
            "/components/schemas/Pet/properties/gone/type (line 126)",
            "/components/schemas/Pet/properties/labels/patternProperties (line 129)",
            "/components/schemas/Pet/properties/position/prefixItems (line 119)",
        ]
    );
}

#[test]
fn swagger_2_constructs_map_to_their_3_0_counterparts() {
    let files = generate("swagger2");
    let types = file(&files, "src/types.rs");
    let item = struct_fields(types, "Item");
    let expect = [
        ("id", "i64"),
        ("name", "String"),
        ("kind", "String"),
        // `x-nullable` and optional, in a type the client sends: three states.
        ("note", "::forge_runtime::Nullable<String>"),
        ("supplier", "::forge_runtime::Nullable<Supplier>"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(item, expect);
    assert_eq!(
        struct_fields(types, "UploadPhotoBody"),
        [
            ("photo".to_owned(), "::forge_runtime::Binary".to_owned()),
            ("caption".to_owned(), "Option<String>".to_owned())
        ]
    );
    let client = file(&files, "src/client.rs");
    assert!(
        client.contains("https://warehouse.example.com/api"),
        "servers"
    );
    assert!(
        client.contains("pub fn export_items<'a>(&'a self) -> super::builders::ExportItems<'a>")
    );
    let builders = file(&files, "src/builders.rs");
    assert!(
        builders.contains("::forge_runtime::ApiResult<Vec<u8>"),
        "{builders}"
    );
    // Credential setters are named for the kind (basic, apiKey, oauth2 as a bearer token).
    for method in ["basic_auth(", "api_key(", "bearer_auth("] {
        assert!(client.contains(&format!("pub fn {method}")), "{method}");
    }
    let params = file(&files, "src/builders.rs");
    assert!(params.contains("pub(super) limit: Option<i32>"), "{params}");
    assert_eq!(
        warnings("swagger2"),
        ["/paths/~1items/get/parameters/5/collectionFormat (line 79)"]
    );
    // Normalization warnings are denied like the lowering's.
    let document = fixture::named("swagger2").document();
    let mut settings = Settings::new("denied");
    settings.deny_warnings(true);
    let err = forge_codegen::generate(&document, &settings).expect_err("tsv is a warning");
    assert!(
        err.to_string()
            .contains("/paths/~1items/get/parameters/5/collectionFormat (line 79, column 11)"),
        "{err}"
    );
}

#[test]
fn output_is_deterministic() {
    for fixture in fixture::all() {
        assert_eq!(fixture.generate(), fixture.generate(), "{}", fixture.name);
    }
}

/// Fixtures whose generated types are also exercised on the wire (`tests/wire_<name>.rs`,
/// through the snapshot crates).
const WIRE_FIXTURES: &[&str] = &["numbers", "composition"];

#[test]
fn numbers_and_compositions_get_precise_types() {
    let files = generate("numbers");
    let types = file(&files, "src/types.rs");
    let fields = struct_fields(types, "Measurement");
    let expect = [
        ("tiny", "Option<i8>"),
        ("small", "Option<i16>"),
        ("medium", "Option<i32>"),
        ("large", "Option<i64>"),
        ("byte", "Option<u8>"),
        ("word", "Option<u16>"),
        ("dword", "Option<u32>"),
        ("counter", "u64"),
        ("percent", "Option<u32>"),
        ("offset", "Option<i32>"),
        ("signed_by_format", "Option<i32>"),
        ("unbounded_id", "Option<i64>"),
        ("huge", "Option<i128>"),
        ("unsigned_huge", "Option<u64>"),
        ("snowflake", "Option<u32>"),
        ("ratio", "Option<f32>"),
        ("precise", "Option<f64>"),
        ("plain", "Option<f64>"),
        ("level", "Option<Level>"),
        ("priority", "Option<Priority>"),
        ("retries", "Option<u16>"),
        ("history", "Option<Vec<Priority>>"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(fields, expect);
    assert!(
        types.contains("Other(i64)"),
        "integer enums keep unknown values"
    );
    let params = struct_fields(file(&files, "src/builders.rs"), "GetLevel");
    assert!(
        params.contains(&("limit".to_owned(), "Option<u32>".to_owned())),
        "{params:?}"
    );

    let files = generate("composition");
    let types = file(&files, "src/types.rs");
    assert_eq!(
        struct_fields(types, "Album"),
        [
            ("id".to_owned(), "String".to_owned()),
            ("name".to_owned(), "String".to_owned()),
            ("tracks".to_owned(), "i32".to_owned()),
        ]
    );
    assert_eq!(
        struct_fields(types, "PagedAlbums"),
        [
            ("total".to_owned(), "i32".to_owned()),
            ("next".to_owned(), "Option<String>".to_owned()),
            ("items".to_owned(), "Vec<Album>".to_owned()),
        ]
    );
    assert_eq!(
        struct_fields(types, "Holder"),
        [
            (
                "labelled".to_owned(),
                "::forge_runtime::Nullable<Labelled>".to_owned()
            ),
            ("inline".to_owned(), "Option<HolderInline>".to_owned()),
            ("just_ref".to_owned(), "Option<Base>".to_owned()),
        ]
    );
    // No field or variant is any JSON; an untagged union's `Deserialize` reads the value
    // as JSON first to try its members.
    let untyped: Vec<&str> = types
        .lines()
        .filter(|line| line.contains("serde_json::Value"))
        .filter(|line| !line.contains("as ::serde::Deserialize>::deserialize("))
        .collect();
    assert!(untyped.is_empty(), "{untyped:?}");
    for name in WIRE_FIXTURES {
        let document = fixture::named(name).document();
        let api = forge_codegen::lower_document(&document).expect("lowers");
        assert!(api.warnings.is_empty(), "{name}: {:?}", api.warnings);
        let coverage = api.coverage;
        assert_eq!(
            (coverage.asked_any, coverage.fallback),
            (0, 0),
            "{name}: {coverage:?}"
        );
        assert!(coverage.precise > 20, "{name}: {coverage:?}");
    }
}

#[test]
fn coverage_tells_asked_for_any_from_located_fallbacks() {
    let spec = "openapi: 3.0.3\n\
info: {title: t, version: '1'}\n\
paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {}\n\
components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        free: {}\n        bag: {type: object}\n        list: {type: array, items: {type: integer}}\n        gone: {$ref: '#/components/schemas/Missing'}\n        odd: {type: file}\n        loop: {$ref: '#/components/schemas/Loop'}\n    Loop:\n      $ref: '#/components/schemas/Loop'\n";
    let document = forge_codegen::load::parse(spec).expect("parses");
    let api = forge_codegen::lower_document(&document).expect("lowers");
    let coverage = &api.coverage;
    // Precise: the body, `bag` (a map), `list` and its items. Asked for: `free`, the map's
    // values, the response without a schema. Fallbacks: `gone`, `odd`, `loop`.
    assert_eq!(
        (coverage.precise, coverage.asked_any, coverage.fallback),
        (4, 3, 3),
        "{coverage:?}"
    );
    assert_eq!(
        coverage
            .fallback_reasons
            .iter()
            .map(|(reason, count)| format!("{reason}={count}"))
            .collect::<Vec<_>>(),
        ["$ref cycle=1", "dangling $ref=1", "unknown type=1"]
    );
    // Each fallback is a located warning.
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    for pointer in [
        "/components/schemas/Thing/properties/gone/$ref",
        "/components/schemas/Thing/properties/odd",
        "/components/schemas/Loop",
    ] {
        assert!(
            api.warnings
                .iter()
                .any(|w| w.pointer == pointer && w.location.is_some()),
            "{pointer}: {warnings:?}"
        );
    }
}

#[test]
fn lossy_mappings_are_located_warnings_not_errors() {
    let spec = "openapi: 3.0.3\n\
info: {title: t, version: '1'}\n\
paths:\n  /files/{name}/raw:\n    get:\n      parameters:\n        - {name: stray, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n\
components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        x:\n          $ref: '#/components/schemas/Missing'\n";
    let document = forge_codegen::load::parse(spec).expect("parses");
    let api = forge_codegen::lower_document(&document).expect("generates despite the gaps");
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].starts_with("/components/schemas/Thing/properties/x/$ref"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("typed as any JSON value"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("/paths/~1files~1{name}~1raw/get"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("taken as a required string"),
        "{warnings:?}"
    );
    assert!(
        warnings[2].contains("`stray` does not appear in the path template; left out"),
        "{warnings:?}"
    );
    // The undeclared path variable became a `&str` argument, percent-encoded into the path.
    let files = forge_codegen::generate(&document, &Settings::new("lossy")).expect("generates");
    let client = file(&files, "src/client.rs");
    assert!(client.contains("name: &'a str"), "{client}");
    // Denied, the same warnings are the errors, still located.
    let mut strict = Settings::new("lossy");
    strict.deny_warnings(true);
    let err = forge_codegen::generate(&document, &strict).expect_err("warnings denied");
    let Error::Unsupported(denied) = &err else {
        panic!("unexpected {err}")
    };
    assert_eq!(denied.len(), 3, "{err}");
    assert!(
        denied
            .iter()
            .all(|d| d.location.is_some() && d.message.contains("denied")),
        "{err}"
    );
}

/// Every outer `#[doc]` line of an item's attributes, joined with newlines, leading space off.
fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').unwrap_or(&line).to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hostile_specs_produce_exactly_the_expected_items_with_strings_verbatim() {
    let files = generate("hostile");
    let names = |path: &str| -> Vec<String> {
        items(file(&files, path))
            .items
            .iter()
            .map(|item| match item {
                syn::Item::Struct(s) => format!("struct {}", s.ident),
                syn::Item::Enum(e) => format!("enum {}", e.ident),
                syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
                syn::Item::Const(c) => format!("const {}", c.ident),
                syn::Item::Type(t) => format!("type {}", t.ident),
                syn::Item::Impl(i) => {
                    format!("impl {}", quote::ToTokens::to_token_stream(&i.self_ty))
                }
                syn::Item::Mod(m) => format!("mod {}", m.ident),
                syn::Item::Use(_) => "use".to_owned(),
                other => format!("unexpected {}", quote::ToTokens::to_token_stream(other)),
            })
            .collect()
    };
    assert_eq!(
        names("src/types.rs"),
        [
            "struct Evil",
            // Its `Deserialize`, written out: `object::Object` and `Deserialize`.
            "impl Evil",
            "impl Evil",
            "fn default_evil_std_process_exit_1",
            "enum EvilKind",
            // as_str, From<String>, Display, Deserialize (Evil is only read), and Serialize
            // behind the serde-both-ways feature.
            "impl EvilKind",
            "impl EvilKind",
            "impl EvilKind",
            "impl EvilKind",
            "impl EvilKind"
        ]
    );
    assert_eq!(
        names("src/client.rs"),
        [
            "struct Client",
            "impl Client",
            "struct ClientBuilder",
            "impl ClientBuilder"
        ]
    );
    assert_eq!(
        names("src/builders.rs"),
        [
            "const X_STD_PROCESS_EXIT_1",
            "struct XStdProcessExit1",
            // Its setters and ways of sending, `IntoFuture`, then its request function.
            "impl XStdProcessExit1 < 'a >",
            "impl XStdProcessExit1 < 'a >",
            "fn x_std_process_exit_1"
        ]
    );
    assert_eq!(
        names("src/lib.rs"),
        [
            "mod builders",
            "mod client",
            "mod types",
            "use",
            "use",
            "use",
            "use",
            "use",
            "use",
            "use"
        ]
    );

    // The strings come through as data: docs hold the descriptions line for line, serde
    // renames hold property names, match patterns hold enum values, exactly.
    let types = items(file(&files, "src/types.rs"));
    let evil = types
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "Evil" => Some(s),
            _ => None,
        })
        .expect("Evil");
    assert_eq!(doc_text(&evil.attrs), "/// doc\n//! inner\n#![no_std]");
    let field = evil.fields.iter().next().expect("first field");
    assert!(
        doc_text(&field.attrs).starts_with("*/ #[ } ] include!(\"x\")"),
        "{}",
        doc_text(&field.attrs)
    );
    // Enum values are the string patterns of `From<String>` (and the results of `as_str`).
    let from = types
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Impl(i)
                if i.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "From")
                }) =>
            {
                Some(i)
            }
            _ => None,
        })
        .expect("impl From<String> for EvilKind");
    let mut patterns = Vec::new();
    for item in &from.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        for statement in &function.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Match(matched), _) = statement else {
                continue;
            };
            for arm in &matched.arms {
                if let syn::Pat::Lit(syn::PatLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &arm.pat
                {
                    patterns.push(s.value());
                }
            }
        }
    }
    assert_eq!(patterns, ["\"); std::process::exit(1); //", "`", "\n"]);
    // The default value survives inside its function as a string literal.
    assert!(file(&files, "src/types.rs").contains(r####"Some("\"###".to_owned())"####));
}

#[test]
fn adding_an_unrelated_schema_and_operation_renames_nothing() {
    let text = fixture::named("shapes").text();
    let grown = text.replace(
        "components:\n  schemas:\n",
        "components:\n  schemas:\n    ZetaNode:\n      type: object\n      properties:\n        status:\n          type: string\n          enum: [up, down]\n",
    )
    .replace(
        "paths:\n",
        "paths:\n  /zeta:\n    get:\n      operationId: listZeta\n      responses:\n        \"204\":\n          description: nothing\n",
    );
    let generate_text = |spec: &str| {
        let document = forge_codegen::load::parse(spec).expect("parses");
        forge_codegen::generate(&document, &Settings::new("stable")).expect("generates")
    };
    let before = generate_text(&text);
    let after = generate_text(&grown);
    for path in ["src/types.rs", "src/client.rs", "src/builders.rs"] {
        let old = file(&before, path);
        let new = file(&after, path);
        for item in items(old).items {
            if let syn::Item::Struct(s) = &item {
                let fields = struct_fields(old, &s.ident.to_string());
                // Field names and types (and so the names of the types they use) stay put.
                // (A new component that takes the short name of an inline type, such as a
                // `Status` schema, would move that inline type to its qualified name.)
                assert_eq!(
                    struct_fields(new, &s.ident.to_string()),
                    fields,
                    "{path}: {}",
                    s.ident
                );
            }
        }
    }
    // Every method keeps its name, though the new operation comes first in the spec.
    for method in [
        "pub fn list_orders<'a>(",
        "pub fn delete_order<'a>(",
        "pub fn list_zeta<'a>(",
    ] {
        assert!(file(&after, "src/client.rs").contains(method), "{method}");
    }
}

/// The same inline error body documented on several operations is one type: every
/// operation's 401 (written inline three times) and 403 (one `components/responses` entry)
/// variants hold the same types, so one function handles the error of any call. The
/// compiler checks it on the blessed snapshot crate; the bodies are decoded from the wire.
#[test]
fn identical_error_bodies_of_different_operations_are_one_type() {
    use forge_runtime::{ErrorBody, StatusCode};
    use snapshot_shared_types::client::{GetAlbumError, SearchError, UpdateAlbumError};
    use snapshot_shared_types::types::{Forbidden, SearchStatus401};

    fn unauthorized(body: &SearchStatus401) -> String {
        format!("401 {}", body.error.message)
    }
    fn forbidden(body: &Forbidden) -> String {
        format!("403 {}", body.error.message)
    }
    fn decode<E: ErrorBody>(status: u16, message: &str) -> E {
        let body = format!(r#"{{"error":{{"status":{status},"message":"{message}"}}}}"#);
        let status = StatusCode::from_u16(status).expect("a status");
        E::decode(status, body.as_bytes()).expect("a documented error body")
    }

    let seen = [
        match decode(401, "get") {
            GetAlbumError::Status401(body) => unauthorized(&body),
            GetAlbumError::Status403(body) => forbidden(&body),
        },
        match decode(401, "update") {
            UpdateAlbumError::Status401(body) => unauthorized(&body),
            UpdateAlbumError::Status403(body) => forbidden(&body),
        },
        match decode(403, "search") {
            SearchError::Status401(body) => unauthorized(&body),
            SearchError::Status403(body) => forbidden(&body),
        },
    ];
    assert_eq!(seen, ["401 get", "401 update", "403 search"]);

    // One definition of each shape: the other places are aliases of it.
    let files = generate("shared_types");
    let types = items(file(&files, "src/types.rs"));
    let structs: Vec<String> = types
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let error_shapes: Vec<&String> = structs
        .iter()
        .filter(|name| name.ends_with("Status401") || *name == "Forbidden")
        .collect();
    assert_eq!(
        error_shapes,
        ["GetAlbumStatus401", "Forbidden"],
        "{structs:?}"
    );
}

/// An optional nullable property of a body the client sends is a `Nullable` (left out, `null`
/// or a value); the same property in a type the client only reads stays an `Option`.
#[test]
fn optional_nullable_properties_of_sent_types_have_three_states() {
    use forge_runtime::Nullable;
    use snapshot_shared_types::types::{Album, UpdateAlbumBody};

    let cleared = UpdateAlbumBody {
        label: Nullable::Null,
        ..Default::default()
    };
    let json = |body: &UpdateAlbumBody| serde_json::to_value(body).expect("encodes");
    assert_eq!(json(&cleared), serde_json::json!({ "label": null }));
    assert_eq!(json(&UpdateAlbumBody::default()), serde_json::json!({}));
    let album: Album = serde_json::from_str(r#"{"id":"a1","label":null}"#).expect("decodes");
    assert_eq!(album.label, None::<String>);
}
