//! The Lean front end and the C ABI agree: every function of `include/ix.h`
//! has an `@[extern]` declaration in `Ix/KernelCheck.lean` and a glue
//! function in `lean/ix_glue.c` with the same name, the same parameters in
//! the same order, and matching types; and nothing extra on either side.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `(name, [(type, param)])` for every `IxStatus rs_*(...)` prototype,
/// without the trailing message buffer (`char *err, size_t err_len`).
fn header_functions(header: &str) -> Vec<(String, Vec<(String, String)>)> {
    let flat = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    for piece in flat.split("IxStatus rs_").skip(1) {
        let Some((name, rest)) = piece.split_once('(') else {
            continue;
        };
        let Some((params, _)) = rest.split_once(')') else {
            continue;
        };
        let mut list: Vec<(String, String)> = params
            .split(',')
            .map(|p| {
                let p = p.trim();
                let split = p.rfind([' ', '*']).expect("a parameter name");
                (p[..=split].trim().to_string(), p[split + 1..].to_string())
            })
            .collect();
        let tail: Vec<(String, String)> = list.split_off(list.len().saturating_sub(2));
        assert_eq!(
            tail,
            [
                ("char *".to_string(), "err".to_string()),
                ("size_t".to_string(), "err_len".to_string())
            ],
            "rs_{name} must end with the message buffer"
        );
        out.push((format!("rs_{name}"), list));
    }
    out
}

fn snake(camel: &str) -> String {
    let mut s = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    s
}

fn c_type_of_lean(t: &str) -> String {
    match t.trim() {
        "@& String" => "const char *",
        "UInt32" => "uint32_t",
        "UInt8" => "uint8_t",
        "Float" => "double",
        other => panic!("no C type for Lean type {other}"),
    }
    .to_string()
}

/// `(C symbol, [(C type, snake_case param)])` for every `@[extern "lean_rs_*"]` opaque.
fn lean_externs(lean: &str) -> Vec<(String, Vec<(String, String)>)> {
    let flat = lean.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    for piece in flat.split("@[extern \"lean_").skip(1) {
        let (symbol, rest) = piece.split_once('"').expect("extern symbol");
        let signature = rest.split(" : IO").next().expect("an IO result");
        let mut params = Vec::new();
        for group in signature.split('(').skip(1) {
            let group = group.split(')').next().expect("closing paren");
            let (names, ty) = group.split_once(':').expect("a typed binder");
            for name in names.split_whitespace() {
                params.push((c_type_of_lean(ty), snake(name)));
            }
        }
        out.push((symbol.to_string(), params));
    }
    out
}

fn c_type_of_glue(t: &str) -> String {
    match t.trim() {
        "b_lean_obj_arg" => "const char *".to_string(),
        other => other.to_string(),
    }
}

/// The variables passed to `symbol(...)` in `body`, unwrapped from
/// `lean_string_cstr(x)` / `optional_path(x)`, without the message buffer.
fn call_arguments(body: &str, symbol: &str) -> Vec<String> {
    let Some(start) = body.find(&format!("{symbol}(")) else {
        return Vec::new();
    };
    let mut depth = 0;
    let mut args = String::new();
    for c in body[start + symbol.len()..].chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        if depth >= 1 && !(depth == 1 && c == '(') {
            args.push(c);
        }
    }
    let mut names: Vec<String> = args
        .split(',')
        .map(|a| {
            let a = a.trim();
            let inner = a.rsplit('(').next().unwrap_or(a);
            inner.trim_end_matches(')').trim().to_string()
        })
        .collect();
    names.truncate(names.len().saturating_sub(2));
    names
}

/// `(C symbol, [(C type, param)], the arguments its `rs_*` call passes)`.
type GlueFunction = (String, Vec<(String, String)>, Vec<String>);

/// Every glue function of `lean/ix_glue.c`.
fn glue_functions(glue: &str) -> Vec<GlueFunction> {
    let flat = glue.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    for piece in flat.split("LEAN_EXPORT lean_obj_res lean_").skip(1) {
        let (symbol, rest) = piece.split_once('(').expect("glue name");
        let (params, body) = rest.split_once(')').expect("glue params");
        let mut list: Vec<(String, String)> = params
            .split(',')
            .map(|p| {
                let p = p.trim();
                let split = p.rfind(' ').expect("a parameter name");
                (c_type_of_glue(&p[..split]), p[split + 1..].to_string())
            })
            .collect();
        let world = list.pop().expect("the IO world parameter");
        assert_eq!(
            world,
            ("lean_obj_arg".to_string(), "world".to_string()),
            "lean_{symbol} must take the IO world last"
        );
        let body = body.split("LEAN_EXPORT").next().unwrap_or("");
        out.push((symbol.to_string(), list, call_arguments(body, symbol)));
    }
    out
}

#[test]
fn lean_externs_glue_and_header_agree() {
    let header = header_functions(&read("include/ix.h"));
    let lean = lean_externs(&read("Ix/KernelCheck.lean"));
    let glue = glue_functions(&read("lean/ix_glue.c"));
    assert!(header.len() >= 5, "{header:?}");
    let names = |v: Vec<String>| {
        let mut v = v;
        v.sort();
        v
    };
    assert_eq!(
        names(header.iter().map(|h| h.0.clone()).collect()),
        names(lean.iter().map(|l| l.0.clone()).collect()),
        "the Lean externs and the header declare different functions"
    );
    for (name, params) in &header {
        let (_, lean_params) = lean.iter().find(|l| &l.0 == name).expect("extern");
        let normalise = |ps: &[(String, String)]| -> Vec<(String, String)> {
            ps.iter()
                .map(|(t, n)| (t.replace(" *", "*").replace("* ", "*"), n.clone()))
                .collect()
        };
        assert_eq!(
            normalise(lean_params),
            normalise(params),
            "{name}: Lean extern parameters differ from ix.h"
        );
        let (_, glue_params, calls) = glue
            .iter()
            .find(|g| &g.0 == name)
            .unwrap_or_else(|| panic!("no glue for {name}"));
        let glue_types: Vec<String> = glue_params
            .iter()
            .map(|(t, _)| t.replace(" *", "*"))
            .collect();
        let header_types: Vec<String> = params.iter().map(|(t, _)| t.replace(" *", "*")).collect();
        assert_eq!(
            glue_types, header_types,
            "{name}: glue parameter types differ from ix.h"
        );
        let glue_names: Vec<&String> = glue_params.iter().map(|(_, n)| n).collect();
        let header_names: Vec<&String> = params.iter().map(|(_, n)| n).collect();
        assert_eq!(
            glue_names, header_names,
            "{name}: glue parameter names differ from ix.h"
        );
        assert_eq!(
            calls.iter().collect::<Vec<_>>(),
            header_names,
            "lean_{name} does not pass its arguments to {name} in order"
        );
    }
    assert_eq!(
        glue.len(),
        header.len(),
        "glue functions without a header twin"
    );
}
