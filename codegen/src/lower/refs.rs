//! The one resolver for local component references: `#/components/<section>/<key>`, where
//! the key is a JSON pointer token (`~1` stands for `/` and `~0` for `~`, RFC 6901 §4).
//!
//! Every `$ref` that lowering follows into `components` (schemas, parameters, request
//! bodies, responses, examples) goes through [`Lowerer::component`]; a reference that
//! points anywhere else does not resolve, and the caller reports it.

use indexmap::IndexMap;
use openapiv3::{Components, Example, Parameter, ReferenceOr, RequestBody, Response, Schema};

use super::Lowerer;

/// A kind of component that a `$ref` can name: its section of `components`.
pub(crate) trait Component: Sized + 'static {
    /// The section's key under `components` (`schemas`, `parameters`, ...).
    const SECTION: &'static str;
    /// The section's entries.
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Schema, "schemas", schemas);
component!(Parameter, "parameters", parameters);
component!(RequestBody, "requestBodies", request_bodies);
component!(Response, "responses", responses);
component!(Example, "examples", examples);

/// The key that `reference` names in the section `T` of `components`, unescaped; `None`
/// when it points elsewhere (another section, another document, or a node nested inside a
/// component).
pub(crate) fn component_key<T: Component>(reference: &str) -> Option<String> {
    let token = reference
        .strip_prefix("#/components/")?
        .strip_prefix(T::SECTION)?
        .strip_prefix('/')?;
    if token.contains('/') {
        return None;
    }
    Some(token.replace("~1", "/").replace("~0", "~"))
}

impl<'a> Lowerer<'a> {
    /// The component `reference` names, as the spec writes it (possibly itself a `$ref`).
    pub(crate) fn component<T: Component>(&self, reference: &str) -> Option<&'a ReferenceOr<T>> {
        let key = component_key::<T>(reference)?;
        T::section(self.doc.components.as_ref()?).get(&key)
    }

    /// The component `reference` names, when it is written out there (not another `$ref`).
    pub(crate) fn component_item<T: Component>(&self, reference: &str) -> Option<&'a T> {
        self.component::<T>(reference)?.as_item()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unescaped_and_other_targets_refused() {
        assert_eq!(
            component_key::<Schema>("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(
            component_key::<RequestBody>("#/components/requestBodies/Pet").as_deref(),
            Some("Pet")
        );
        assert_eq!(component_key::<Schema>("#/components/parameters/Pet"), None);
        assert_eq!(component_key::<Schema>("#/components/schemasX/Pet"), None);
        assert_eq!(
            component_key::<Schema>("#/components/schemas/Pet/properties/a"),
            None
        );
        assert_eq!(
            component_key::<Schema>("other.yaml#/components/schemas/Pet"),
            None
        );
    }
}
