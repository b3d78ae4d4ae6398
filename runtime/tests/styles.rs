//! Parameter serialization against the OpenAPI 3.0.3 "Style Examples" table, cell by cell,
//! plus header and cookie styles, reserved characters and values that contain the
//! delimiters, and one request over loopback HTTP that carries every location.

use forge_runtime::{
    path_param_styled, serialize, ClientCoreBuilder, Method, Operation, ParamLocation, ParamStyle,
    Serialized, Style,
};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One row of the specification's table: style, explode, and the cells for the values
/// `""`, `"blue"`, `["blue","black","brown"]` and `{"R":100,"G":200,"B":150}`; `None` is
/// the table's "n/a".
struct Row {
    style: Style,
    explode: bool,
    cells: [Option<&'static str>; 4],
}

const fn row(style: Style, explode: bool, cells: [Option<&'static str>; 4]) -> Row {
    Row {
        style,
        explode,
        cells,
    }
}

/// The OpenAPI 3.0.3 "Style Examples" table.
const TABLE: &[Row] = &[
    row(
        Style::Matrix,
        false,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue,black,brown"),
            Some(";color=R,100,G,200,B,150"),
        ],
    ),
    row(
        Style::Matrix,
        true,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue;color=black;color=brown"),
            Some(";R=100;G=200;B=150"),
        ],
    ),
    row(
        Style::Label,
        false,
        [
            Some("."),
            Some(".blue"),
            Some(".blue.black.brown"),
            Some(".R.100.G.200.B.150"),
        ],
    ),
    row(
        Style::Label,
        true,
        [
            Some("."),
            Some(".blue"),
            Some(".blue.black.brown"),
            Some(".R=100.G=200.B=150"),
        ],
    ),
    row(
        Style::Form,
        false,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue,black,brown"),
            Some("color=R,100,G,200,B,150"),
        ],
    ),
    row(
        Style::Form,
        true,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue&color=black&color=brown"),
            Some("R=100&G=200&B=150"),
        ],
    ),
    row(
        Style::Simple,
        false,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R,100,G,200,B,150"),
        ],
    ),
    row(
        Style::Simple,
        true,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R=100,G=200,B=150"),
        ],
    ),
    row(
        Style::SpaceDelimited,
        false,
        [
            None,
            None,
            Some("blue%20black%20brown"),
            Some("R%20100%20G%20200%20B%20150"),
        ],
    ),
    row(
        Style::PipeDelimited,
        false,
        [
            None,
            None,
            Some("blue|black|brown"),
            Some("R|100|G|200|B|150"),
        ],
    ),
    row(
        Style::DeepObject,
        true,
        [
            None,
            None,
            None,
            Some("color[R]=100&color[G]=200&color[B]=150"),
        ],
    ),
];

fn table_values() -> [Value; 4] {
    [
        json!(""),
        json!("blue"),
        json!(["blue", "black", "brown"]),
        json!({"R": 100, "G": 200, "B": 150}),
    ]
}

/// Where a style is tested: path styles in a path, the others in a query.
fn location_of(style: Style) -> ParamLocation {
    match style {
        Style::Matrix | Style::Label | Style::Simple => ParamLocation::Path,
        _ => ParamLocation::Query,
    }
}

fn wire<T: serde::Serialize + ?Sized>(name: &str, value: &T, style: ParamStyle) -> String {
    serialize(name, value, style)
        .unwrap_or_else(|e| panic!("{style:?}: {e}"))
        .wire_text()
}

/// The delimited styles put the parameter name in front (`color=`); the table shows only
/// the value for them.
fn table_text(style: Style, wire: String) -> String {
    match style {
        Style::SpaceDelimited | Style::PipeDelimited => wire
            .strip_prefix("color=")
            .unwrap_or_else(|| panic!("{wire} has no name"))
            .to_owned(),
        _ => wire,
    }
}

#[test]
fn every_cell_of_the_style_examples_table() {
    let values = table_values();
    let mut checked = 0;
    for row in TABLE {
        let style = ParamStyle::new(location_of(row.style), row.style, row.explode);
        for (value, cell) in values.iter().zip(row.cells) {
            let Some(expected) = cell else { continue };
            let got = table_text(row.style, wire("color", value, style));
            assert_eq!(
                got, expected,
                "{:?} explode={} value {value}",
                row.style, row.explode
            );
            checked += 1;
        }
    }
    // The table has 44 cells, 9 of them n/a.
    let defined: usize = TABLE
        .iter()
        .map(|row| row.cells.iter().flatten().count())
        .sum();
    assert_eq!(checked, defined);
    assert_eq!(checked, 35);
}

/// The cells the table leaves "n/a" get the documented fallback: the location's form.
#[test]
fn not_applicable_cells_fall_back_to_form() {
    let values = table_values();
    let expected = [
        // spaceDelimited / pipeDelimited on scalars: one pair.
        (Style::SpaceDelimited, false, 0, "color="),
        (Style::SpaceDelimited, false, 1, "color=blue"),
        (Style::PipeDelimited, false, 0, "color="),
        (Style::PipeDelimited, false, 1, "color=blue"),
        // Exploded delimited styles behave like exploded form.
        (
            Style::SpaceDelimited,
            true,
            2,
            "color=blue&color=black&color=brown",
        ),
        (Style::PipeDelimited, true, 3, "R=100&G=200&B=150"),
        // deepObject on a non-object: exploded form.
        (Style::DeepObject, true, 1, "color=blue"),
        (
            Style::DeepObject,
            true,
            2,
            "color=blue&color=black&color=brown",
        ),
    ];
    for (style, explode, index, cell) in expected {
        let style = ParamStyle::new(ParamLocation::Query, style, explode);
        assert_eq!(wire("color", &values[index], style), cell, "{style:?}");
    }
    // The empty string in simple style is the empty text.
    let simple = ParamStyle::default_for(ParamLocation::Path);
    assert_eq!(wire("color", &values[0], simple), "");
}

#[test]
fn headers_use_simple_style() {
    let values = table_values();
    for (explode, expected) in [
        (false, ["", "blue", "blue,black,brown", "R,100,G,200,B,150"]),
        (true, ["", "blue", "blue,black,brown", "R=100,G=200,B=150"]),
    ] {
        let style = ParamStyle::new(ParamLocation::Header, Style::Simple, explode);
        for (value, expected) in values.iter().zip(expected) {
            assert_eq!(
                serialize("X-Color", value, style).unwrap(),
                Serialized::Header(Some(expected.to_owned())),
                "explode={explode} {value}"
            );
        }
    }
    let style = ParamStyle::default_for(ParamLocation::Header);
    assert_eq!(
        serialize("X-Color", &None::<String>, style).unwrap(),
        Serialized::Header(None)
    );
    assert_eq!(
        serialize("X-Color", &Vec::<String>::new(), style).unwrap(),
        Serialized::Header(None)
    );
    // A single value goes as is; inside a list, the delimiters and `%` are encoded.
    assert_eq!(wire("X", &json!("a,b=c 100%"), style), "a,b=c 100%");
    assert_eq!(
        wire("X", &json!(["a,b", "c%d", "e"]), style),
        "a%2Cb,c%25d,e"
    );
    let exploded = ParamStyle::new(ParamLocation::Header, Style::Simple, true);
    assert_eq!(wire("X", &json!({"k=1": "v,2"}), exploded), "k%3D1=v%2C2");
}

#[test]
fn cookies_use_form_style() {
    let values = table_values();
    for (explode, expected) in [
        (
            false,
            [
                "color=",
                "color=blue",
                "color=blue,black,brown",
                "color=R,100,G,200,B,150",
            ],
        ),
        (
            true,
            [
                "color=",
                "color=blue",
                "color=blue; color=black; color=brown",
                "R=100; G=200; B=150",
            ],
        ),
    ] {
        let style = ParamStyle::new(ParamLocation::Cookie, Style::Form, explode);
        for (value, expected) in values.iter().zip(expected) {
            assert_eq!(
                wire("color", value, style),
                expected,
                "explode={explode} {value}"
            );
        }
    }
    let form = ParamStyle::new(ParamLocation::Cookie, Style::Form, false);
    // Characters a cookie value cannot hold, and the `,` separator inside a value.
    assert_eq!(
        wire("c", &json!(["a;b", "c,d", "e f\"g\\h%", "ok=/:+"]), form),
        "c=a%3Bb,c%2Cd,e%20f%22g%5Ch%25,ok=/:+"
    );
    let exploded = ParamStyle::default_for(ParamLocation::Cookie);
    assert_eq!(wire("c", &json!({"a=b": "é"}), exploded), "a%3Db=%C3%A9");
    assert_eq!(wire("c", &None::<i32>, exploded), "");
}

#[test]
fn query_values_are_encoded_so_delimiters_stay_unambiguous() {
    let form = ParamStyle::new(ParamLocation::Query, Style::Form, false);
    assert_eq!(wire("q", &json!(["a,b", "c"]), form), "q=a%2Cb,c");
    assert_eq!(wire("q", &json!({"k,1": "v,2"}), form), "q=k%2C1,v%2C2");
    let pipe = ParamStyle::new(ParamLocation::Query, Style::PipeDelimited, false);
    assert_eq!(wire("q", &json!(["a|b", "c"]), pipe), "q=a%7Cb|c");
    let exploded = ParamStyle::default_for(ParamLocation::Query);
    assert_eq!(
        wire("a b", &json!("x&y=z+w #1/é?"), exploded),
        "a%20b=x%26y%3Dz%2Bw%20%231%2F%C3%A9%3F"
    );
    assert_eq!(wire("q", &json!({"a&b": "c=d"}), exploded), "a%26b=c%3Dd");
    let deep = ParamStyle::new(ParamLocation::Query, Style::DeepObject, true);
    assert_eq!(
        wire(
            "f",
            &json!({"a]b": "x[y", "n": {"m": [1, 2]}, "gone": null}),
            deep
        ),
        "f[a%5Db]=x%5By&f[n][m]=1&f[n][m]=2"
    );
    // Nothing for absent and empty values.
    assert_eq!(wire("q", &None::<Vec<i32>>, form), "");
    assert_eq!(wire("q", &Vec::<i32>::new(), form), "");
    assert_eq!(wire("q", &json!([null, 1, null]), exploded), "q=1");
}

#[test]
fn allow_reserved_keeps_reserved_characters_that_do_not_change_the_query() {
    let reserved = ParamStyle::default_for(ParamLocation::Query).with_allow_reserved(true);
    assert_eq!(
        wire("u", &json!("http://h/p?x@y!$'()*,;"), reserved),
        "u=http://h/p?x@y!$'()*,;"
    );
    // `# & = + [ ]` would change the query's structure; a `%XX` triple passes, a lone `%`
    // does not.
    assert_eq!(
        wire("u", &json!("a#b&c=d+e[f]%2Fg%zz 100%"), reserved),
        "u=a%23b%26c%3Dd%2Be%5Bf%5D%2Fg%25zz%20100%25"
    );
    // The name is never reserved-expanded.
    assert_eq!(wire("a/b", &json!("/"), reserved), "a%2Fb=/");
    let plain = ParamStyle::default_for(ParamLocation::Query);
    assert_eq!(
        wire("u", &json!("http://h/p"), plain),
        "u=http%3A%2F%2Fh%2Fp"
    );
}

#[test]
fn path_values_encode_every_reserved_character_and_the_style_delimiters() {
    let nasty = "a/b?c#d,e;f=g.h i%";
    let cases = [
        (
            Style::Simple,
            false,
            json!(nasty),
            "a%2Fb%3Fc%23d%2Ce%3Bf%3Dg.h%20i%25",
        ),
        (Style::Simple, false, json!(["a,b", "c"]), "a%2Cb,c"),
        (Style::Simple, true, json!({"k=1": "v,2"}), "k%3D1=v%2C2"),
        (Style::Label, false, json!(["1.5", "x/y"]), ".1%2E5.x%2Fy"),
        (
            Style::Matrix,
            false,
            json!(["a;b", "c=d"]),
            ";id=a%3Bb,c%3Dd",
        ),
        (Style::Matrix, true, json!({"a;b": "c=d"}), ";a%3Bb=c%3Dd"),
        (Style::Simple, false, json!(".."), "%2E%2E"),
        (Style::Simple, false, json!([]), ""),
        (Style::Matrix, true, json!([]), ""),
        (Style::Label, true, json!({}), ""),
    ];
    for (style, explode, value, expected) in cases {
        let style = ParamStyle::new(ParamLocation::Path, style, explode);
        assert_eq!(wire("id", &value, style), expected, "{style:?} {value}");
    }
}

#[test]
fn styles_outside_their_location_use_the_location_default() {
    let value = json!({"status": "open"});
    let deep_in_path = ParamStyle::new(ParamLocation::Path, Style::DeepObject, true);
    assert_eq!(wire("f", &value, deep_in_path), "status=open");
    let matrix_in_query = ParamStyle::new(ParamLocation::Query, Style::Matrix, true);
    assert_eq!(wire("f", &value, matrix_in_query), "status=open");
    let label_in_header = ParamStyle::new(ParamLocation::Header, Style::Label, false);
    assert_eq!(wire("f", &value, label_in_header), "status,open");
    let simple_in_cookie = ParamStyle::new(ParamLocation::Cookie, Style::Simple, false);
    assert_eq!(wire("f", &value, simple_in_cookie), "f=status,open");
    assert!(Style::DeepObject.fits(ParamLocation::Query));
    assert!(!Style::DeepObject.fits(ParamLocation::Path));
}

#[test]
fn values_that_cannot_be_rendered_are_errors_naming_the_parameter() {
    let form = ParamStyle::default_for(ParamLocation::Query);
    let err = serialize("deep", &json!([[1]]), form).unwrap_err();
    assert!(
        err.contains("query parameter `deep`") && err.contains("nested"),
        "{err}"
    );
    let path = ParamStyle::default_for(ParamLocation::Path);
    let err = serialize("id", &None::<i32>, path).unwrap_err();
    assert!(err.contains("path parameter `id` is null"), "{err}");
    // In a path the failure becomes a marker that makes `send` fail.
    assert!(path_param_styled("id", &json!({"a": [1]}), path).contains('\0'));
}

const GET: Operation = Operation {
    id: "get",
    method: Method::GET,
    path: "/things/{id}",
};

/// One request over loopback: the raw path and query string, the header and the cookie
/// are exactly what the styles say.
#[tokio::test]
async fn a_request_carries_every_location_as_styled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let core = ClientCoreBuilder::new(&server.uri())
        .build()
        .expect("client");
    let matrix = ParamStyle::new(ParamLocation::Path, Style::Matrix, true);
    let path = format!("/things/{}", path_param_styled("id", &[7, 8], matrix));
    core.request(&GET, path)
        .query("filter", &json!({"status": "open"}))
        .param(
            "ids",
            &[1, 2],
            ParamStyle::new(ParamLocation::Query, Style::SpaceDelimited, false),
        )
        .param(
            "x-color",
            &json!({"R": 1, "G": 2}),
            ParamStyle::new(ParamLocation::Header, Style::Simple, true),
        )
        .param(
            "prefs",
            &["a b", "c"],
            ParamStyle::new(ParamLocation::Cookie, Style::Form, false),
        )
        .send_empty()
        .await
        .expect("accepted");
    let received = server.received_requests().await.expect("recorded");
    let request = &received[0];
    assert_eq!(request.url.path(), "/things/;id=7;id=8");
    assert_eq!(request.url.query(), Some("status=open&ids=1%202"));
    assert_eq!(request.headers["x-color"], "R=1,G=2");
    assert_eq!(request.headers["cookie"], "prefs=a%20b,c");
}
