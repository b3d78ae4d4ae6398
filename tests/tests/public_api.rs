//! Everything a public signature of a generated crate names can be named by its users from
//! the crate root, without a direct runtime dependency: this test walks the public
//! signatures (functions, fields, variants, aliases, trait impls) of the client generated
//! from every fixture and of the checked-in Dialpad crate, and resolves every path in them
//! to an item the crate defines, one it re-exports at its root, or `std`.

use std::collections::{BTreeMap, BTreeSet};

use forge_codegen::File;
use forge_tests::{fixture, workspace_root};
use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// Names every Rust file can use without importing them.
const PRELUDE: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Into",
    "From",
    "AsRef",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Clone",
    "Default",
    "str",
    "bool",
    "char",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "Self",
];
/// Keywords that occur in types and bounds (`impl Trait`, `&mut T`, `dyn Trait`).
const KEYWORDS: &[&str] = &["impl", "dyn", "mut", "for", "const", "self", "where"];
/// Crates a leading `::` may name without the caller depending on them.
const STD: &[&str] = &["std", "core", "alloc"];
const RUNTIME: &str = "forge_runtime";

/// What a generated crate defines and re-exports.
struct Crate {
    name: String,
    /// Names at the crate root: `pub use` items and modules.
    root: BTreeSet<String>,
    /// Each module's items, by module name (`client`, `types`, `params`).
    modules: BTreeMap<String, (BTreeSet<String>, syn::File)>,
}

impl Crate {
    fn from_files(name: &str, files: &[File]) -> Crate {
        let parse = |path: &str| -> Option<syn::File> {
            let file = files.iter().find(|f| f.path == path)?;
            Some(syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{name}/{path}: {e}")))
        };
        let lib = parse("src/lib.rs").unwrap_or_else(|| panic!("{name}: no src/lib.rs"));
        let mut root = BTreeSet::new();
        let mut modules = BTreeMap::new();
        for item in &lib.items {
            match item {
                syn::Item::Use(item) if matches!(item.vis, syn::Visibility::Public(_)) => {
                    use_names(&item.tree, &mut root);
                }
                syn::Item::Mod(module) => {
                    let module_name = module.ident.to_string();
                    let file = parse(&format!("src/{module_name}.rs"))
                        .unwrap_or_else(|| panic!("{name}: no module {module_name}"));
                    let defined = file.items.iter().filter_map(item_name).collect();
                    root.insert(module_name.clone());
                    modules.insert(module_name, (defined, file));
                }
                _ => {}
            }
        }
        Crate {
            name: name.to_owned(),
            root,
            modules,
        }
    }

    /// Every path of a public signature that does not resolve, as `module: path`.
    fn unreachable(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for (module, (defined, file)) in &self.modules {
            for (generics, types) in file.items.iter().flat_map(signatures) {
                for path in paths(&types) {
                    if !self.resolves(&path, defined, &generics) {
                        missing.push(format!("{module}: {}", path.join("::")));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        missing
    }

    fn resolves(
        &self,
        path: &[String],
        here: &BTreeSet<String>,
        generics: &BTreeSet<String>,
    ) -> bool {
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        match segments.as_slice() {
            ["::", krate, ..] if STD.contains(krate) => true,
            ["::", krate, item, ..] if *krate == RUNTIME => self.root.contains(*item),
            ["::", ..] => false,
            ["super" | "crate", module, item, ..] if self.modules.contains_key(*module) => {
                self.modules[*module].0.contains(*item)
            }
            ["super" | "crate", item, ..] => self.root.contains(*item),
            [first, ..] => {
                PRELUDE.contains(first)
                    || KEYWORDS.contains(first)
                    || generics.contains(*first)
                    || here.contains(*first)
                    // A name the module imports and the crate root re-exports.
                    || self.root.contains(*first)
            }
            [] => true,
        }
    }
}

/// The names a `pub use` tree brings into scope.
fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, out),
        syn::UseTree::Name(name) => {
            out.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            out.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, out)),
        syn::UseTree::Glob(_) => panic!("a glob re-export hides what the root holds"),
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Type(item) => &item.ident,
        syn::Item::Trait(item) => &item.ident,
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Const(item) => &item.ident,
        syn::Item::Mod(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The public signatures of `item`: each with the generic parameters in scope and the
/// tokens of the types it names (never argument patterns or bodies).
fn signatures(item: &syn::Item) -> Vec<(BTreeSet<String>, TokenStream)> {
    let mut out = Vec::new();
    let generics_of = |generics: &syn::Generics| -> BTreeSet<String> {
        generics
            .type_params()
            .map(|param| param.ident.to_string())
            .collect()
    };
    let bounds = |generics: &syn::Generics| -> TokenStream {
        let mut tokens = TokenStream::new();
        for param in generics.type_params() {
            param.bounds.to_tokens(&mut tokens);
        }
        generics.where_clause.to_tokens(&mut tokens);
        tokens
    };
    let fn_types = |sig: &syn::Signature| -> (BTreeSet<String>, TokenStream) {
        let mut tokens = bounds(&sig.generics);
        for input in &sig.inputs {
            if let syn::FnArg::Typed(typed) = input {
                typed.ty.to_tokens(&mut tokens);
            }
        }
        sig.output.to_tokens(&mut tokens);
        (generics_of(&sig.generics), tokens)
    };
    match item {
        syn::Item::Fn(item) if is_pub(&item.vis) => out.push(fn_types(&item.sig)),
        syn::Item::Struct(item) if is_pub(&item.vis) => {
            let mut tokens = bounds(&item.generics);
            for field in item.fields.iter().filter(|field| is_pub(&field.vis)) {
                field.ty.to_tokens(&mut tokens);
            }
            out.push((generics_of(&item.generics), tokens));
        }
        syn::Item::Enum(item) if is_pub(&item.vis) => {
            let mut tokens = bounds(&item.generics);
            for field in item
                .variants
                .iter()
                .flat_map(|variant| variant.fields.iter())
            {
                field.ty.to_tokens(&mut tokens);
            }
            out.push((generics_of(&item.generics), tokens));
        }
        syn::Item::Type(item) if is_pub(&item.vis) => {
            out.push((generics_of(&item.generics), item.ty.to_token_stream()));
        }
        // An impl of serde's traits is serde's API: whoever calls it names serde already. So
        // is the runtime's `object::Object`, the half of a struct's `Deserialize` that its
        // one-line `Deserialize` impl calls with serde's `MapAccess`.
        syn::Item::Impl(item)
            if item.trait_.as_ref().is_some_and(|(_, path, _)| {
                let path = path.to_token_stream().to_string();
                path.starts_with(":: serde ::") || path.ends_with(":: object :: Object")
            }) => {}
        syn::Item::Impl(item) => {
            let generics = generics_of(&item.generics);
            let is_trait = item.trait_.is_some();
            if let Some((_, path, _)) = &item.trait_ {
                out.push((generics.clone(), path.to_token_stream()));
            }
            for inner in &item.items {
                match inner {
                    syn::ImplItem::Fn(function) if is_trait || is_pub(&function.vis) => {
                        let (mut own, tokens) = fn_types(&function.sig);
                        own.extend(generics.iter().cloned());
                        out.push((own, tokens));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

/// Every path in `tokens`, as its segments; a leading `::` is the first segment.
fn paths(tokens: &TokenStream) -> Vec<Vec<String>> {
    #[derive(PartialEq)]
    enum Token {
        Ident(String),
        PathSep,
        Lifetime,
        Other,
    }
    fn flatten(tokens: TokenStream, out: &mut Vec<Token>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < trees.len() {
            match &trees[index] {
                TokenTree::Group(group) => {
                    out.push(Token::Other);
                    flatten(group.stream(), out);
                    out.push(Token::Other);
                }
                TokenTree::Ident(ident) => out.push(Token::Ident(ident.to_string())),
                TokenTree::Punct(punct)
                    if punct.as_char() == ':' && punct.spacing() == Spacing::Joint =>
                {
                    out.push(Token::PathSep);
                    index += 1;
                }
                TokenTree::Punct(punct) if punct.as_char() == '\'' => {
                    out.push(Token::Lifetime);
                    index += 1;
                }
                _ => out.push(Token::Other),
            }
            index += 1;
        }
    }
    let mut flat = Vec::new();
    flatten(tokens.clone(), &mut flat);
    let mut paths = Vec::new();
    let mut index = 0;
    while index < flat.len() {
        let starts = match &flat[index] {
            Token::PathSep => matches!(flat.get(index + 1), Some(Token::Ident(_))),
            Token::Ident(_) => true,
            _ => false,
        };
        if !starts {
            index += 1;
            continue;
        }
        let mut path = Vec::new();
        if flat[index] == Token::PathSep {
            path.push("::".to_owned());
            index += 1;
        }
        while let Some(Token::Ident(ident)) = flat.get(index) {
            path.push(ident.clone());
            index += 1;
            if flat.get(index) == Some(&Token::PathSep)
                && matches!(flat.get(index + 1), Some(Token::Ident(_)))
            {
                index += 1;
            } else {
                break;
            }
        }
        paths.push(path);
    }
    paths
}

fn dialpad_files() -> Vec<File> {
    let src = workspace_root().join("generated/src");
    std::fs::read_dir(&src)
        .expect("generated/src is readable")
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            File {
                path: format!("src/{}", path.file_name().unwrap().to_string_lossy()),
                contents: std::fs::read_to_string(&path).expect("generated file is readable"),
            }
        })
        .collect()
}

fn all_crates() -> Vec<Crate> {
    let mut crates: Vec<Crate> = fixture::all()
        .iter()
        .map(|fixture| Crate::from_files(&fixture.name, &fixture.generate()))
        .collect();
    crates.push(Crate::from_files("dialpad", &dialpad_files()));
    crates
}

#[test]
fn every_path_in_a_public_signature_is_reachable_from_the_crate_root() {
    let crates = all_crates();
    let mut failures = Vec::new();
    for krate in &crates {
        for path in krate.unreachable() {
            failures.push(format!("{}: {path}", krate.name));
        }
    }
    assert!(
        failures.is_empty(),
        "not reachable from the crate root:\n{}",
        failures.join("\n")
    );
}

#[test]
fn crates_with_streams_re_export_the_trait_that_reads_them() {
    let crates = all_crates();
    let streaming: Vec<&Crate> = crates
        .iter()
        .filter(|krate| {
            krate
                .modules
                .get("builders")
                .is_some_and(|(_, file)| file.to_token_stream().to_string().contains("Paged"))
        })
        .collect();
    assert!(
        streaming.iter().any(|krate| krate.name == "dialpad"),
        "the Dialpad client has paginated operations"
    );
    for krate in streaming {
        assert!(
            krate.root.contains("StreamExt"),
            "{}: {:?}",
            krate.name,
            krate.root
        );
        assert!(
            krate.root.contains("Paged"),
            "{}: {:?}",
            krate.name,
            krate.root
        );
    }
}

#[test]
fn the_path_walker_sees_runtime_and_module_paths() {
    let tokens: TokenStream = syn::parse_quote! {
        &'a super::types::Jar, ::forge_runtime::ApiResult<Vec<u8>, ::forge_runtime::Error<E>>
    };
    let found: Vec<String> = paths(&tokens).iter().map(|p| p.join(" ")).collect();
    assert_eq!(
        found,
        [
            "super types Jar",
            ":: forge_runtime ApiResult",
            "Vec",
            "u8",
            ":: forge_runtime Error",
            "E"
        ]
    );
}
