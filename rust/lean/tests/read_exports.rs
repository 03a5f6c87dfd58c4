//! Every bundled real export parses, and its declaration lines all become declarations.

use ix_lean::ndjson;

#[test]
fn every_bundled_export_parses() {
    let exports = ix_testkit::exports();
    assert_eq!(exports.len(), 136);
    for ix_testkit::Export {
        path, decl_lines, ..
    } in exports
    {
        let env = ndjson::read_file(&ix_testkit::exports_dir().join(&path))
            .unwrap_or_else(|e| panic!("{e}"));
        // Format 3.0 packs a mutual def group into one line, so lines <= decls.
        assert!(
            env.decls.len() >= decl_lines,
            "{path}: {} decls for {decl_lines} lines",
            env.decls.len()
        );
        assert!(env.meta.format_version.starts_with("3."), "{path}");
    }
}

fn read_str(text: &str) -> Result<ix_lean::Environment, ndjson::ReadError> {
    ndjson::read(text.as_bytes(), "t.ndjson")
}

const META: &str = r#"{"meta":{"exporter":{"name":"lean4export","version":"3.1.0"},"format":{"version":"3.1.0"},"lean":{"githash":"","version":"4"}}}"#;

#[test]
fn errors_name_file_and_line() {
    let bad_json = format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{oops\n");
    let e = read_str(&bad_json).unwrap_err().to_string();
    assert!(e.starts_with("t.ndjson:3: malformed JSON"), "{e}");

    let undefined_expr = format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":7}}}}\n");
    let e = read_str(&undefined_expr).unwrap_err().to_string();
    assert_eq!(e, "t.ndjson:3: undefined expression index 7");

    let undefined_level = format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"ie\":0,\"sort\":4}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":0}}}}\n");
    let e = read_str(&undefined_level).unwrap_err().to_string();
    assert_eq!(e, "t.ndjson:3: undefined level index 4");

    let undefined_name = format!("{META}\n{{\"ie\":0,\"sort\":0}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":9,\"type\":0}}}}\n");
    let e = read_str(&undefined_name).unwrap_err().to_string();
    assert_eq!(e, "t.ndjson:3: undefined name index 9");

    let cyclic = format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"ie\":0,\"app\":{{\"fn\":1,\"arg\":1}}}}\n{{\"ie\":1,\"app\":{{\"fn\":0,\"arg\":0}}}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":0}}}}\n");
    let e = read_str(&cyclic).unwrap_err().to_string();
    assert!(e.contains("cyclic expression index"), "{e}");

    let wrong_version = META.replace(
        "\"format\":{\"version\":\"3.1.0\"}",
        "\"format\":{\"version\":\"4.0.0\"}",
    );
    let e = read_str(&wrong_version).unwrap_err().to_string();
    assert!(
        e.starts_with("t.ndjson:1: unsupported export format version"),
        "{e}"
    );

    assert!(read_str("").unwrap_err().to_string().contains("empty file"));
}

#[test]
fn forward_and_sparse_indices_resolve() {
    let text = format!(
        "{META}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[5],\"name\":40,\"type\":900}}}}\n{{\"ie\":900,\"sort\":77}}\n{{\"il\":77,\"param\":5}}\n{{\"in\":5,\"str\":{{\"pre\":0,\"str\":\"u\"}}}}\n{{\"in\":40,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n"
    );
    let env = read_str(&text).expect("forward references resolve");
    assert_eq!(env.decls.len(), 1);
    assert_eq!(env.decls[0].names()[0].to_string(), "A");
}

#[test]
fn declarations_that_wait_keep_their_place() {
    // A and C refer to expression 9, defined last; B and D are resolvable
    // when read. File order must survive.
    let axiom = |name: u32, ty: u32| {
        format!("{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":{name},\"type\":{ty}}}}}\n")
    };
    let mut text = format!("{META}\n");
    for (i, n) in ["A", "B", "C", "D"].iter().enumerate() {
        text.push_str(&format!(
            "{{\"in\":{},\"str\":{{\"pre\":0,\"str\":\"{n}\"}}}}\n",
            i + 1
        ));
    }
    text.push_str("{\"ie\":0,\"sort\":0}\n");
    text.push_str(&axiom(1, 9));
    text.push_str(&axiom(2, 0));
    text.push_str(&axiom(3, 9));
    text.push_str(&axiom(4, 0));
    text.push_str("{\"ie\":9,\"sort\":0}\n");
    let env = read_str(&text).expect("forward references resolve");
    let names: Vec<String> = env.decls.iter().map(|d| d.names()[0].to_string()).collect();
    assert_eq!(names, ["A", "B", "C", "D"]);
}

#[test]
fn deep_application_chain_resolves_iteratively() {
    let mut text = format!(
        "{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"ie\":0,\"sort\":0}}\n"
    );
    for i in 1..100_000 {
        text.push_str(&format!(
            "{{\"ie\":{i},\"app\":{{\"fn\":{},\"arg\":0}}}}\n",
            i - 1
        ));
    }
    text.push_str(
        "{\"axiom\":{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":99999}}\n",
    );
    let env = read_str(&text).expect("deep term");
    assert_eq!(env.decls.len(), 1);
}

#[test]
fn write_then_read_is_a_fixpoint_on_every_export() {
    for ix_testkit::Export { path, .. } in ix_testkit::exports() {
        let env = ndjson::read_file(&ix_testkit::exports_dir().join(&path))
            .unwrap_or_else(|e| panic!("{e}"));
        let first = ix_lean::ndjson_write::write_environment(Vec::new(), &env).expect("write");
        let reread = ndjson::read(first.as_slice(), &path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reread.decls.len(), env.decls.len(), "{path}");
        let second = ix_lean::ndjson_write::write_environment(Vec::new(), &reread).expect("write");
        assert_eq!(first, second, "{path}: writing is not stable under a read");
    }
}
