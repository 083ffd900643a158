//! TypeScript → JavaScript for the engine, with oxc.
//!
//! This is type stripping plus lowering of TS-only syntax (enums, parameter properties,
//! namespaces). The target stays ESNext: QuickJS-ng runs modern syntax, so nothing is
//! down-levelled. Each compiled module also reports the static imports that survive type
//! stripping (an `import type` or a type-only named import is gone), so the project loader can
//! resolve the whole module graph before any JavaScript runs.

use std::path::Path;

use oxc::allocator::Allocator;
use oxc::ast::ast::{Argument, AssignmentExpression, AssignmentTarget, CallExpression, Expression, ObjectPropertyKind, PropertyKey, Statement};
use oxc::ast_visit::{Visit, walk};
use oxc::codegen::Codegen;
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{TransformOptions, Transformer};

/// A problem in a source file, located for humans (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub help: Option<String>,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// One static `import`/`export … from` that remains after type stripping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub specifier: String,
    pub line: u32,
    pub column: u32,
}

/// Maps positions in the generated JavaScript back to the TypeScript source: for each generated
/// line (0-based), the mapping tokens `(generated column, source line, source column)`, 0-based.
#[derive(Debug, Clone, Default)]
pub struct PositionMap(Vec<Vec<(u32, u32, u32)>>);

impl PositionMap {
    /// The 1-based source position of a 1-based generated position, when known.
    pub fn original(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let tokens = self.0.get(line.checked_sub(1)? as usize)?;
        let col = column.saturating_sub(1);
        let t = tokens.iter().rev().find(|t| t.0 <= col).or_else(|| tokens.first())?;
        Some((t.1 + 1, t.2 + 1 + col.saturating_sub(t.0)))
    }
}

#[derive(Debug, Clone)]
pub struct Compiled {
    pub code: String,
    /// Generated → source positions (empty for CommonJS and JSON, which are not rewritten).
    pub positions: PositionMap,
    pub imports: Vec<Import>,
    /// `Some` for a CommonJS file (plain `.js`/`.cjs` without `import`/`export`).
    pub commonjs: Option<CommonJs>,
}

/// What a CommonJS module needs to be loaded as an ES module: the literal `require("…")` calls
/// (resolved ahead of time) and the export names it assigns, so `import { x } from "cjs"` works
/// for the usual `exports.x = …` / `module.exports = { x }` / `Object.defineProperty(exports, "x")`
/// shapes.
#[derive(Debug, Clone, Default)]
pub struct CommonJs {
    pub requires: Vec<Import>,
    pub exports: Vec<String>,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: u32) -> (u32, u32) {
    let offset = (offset as usize).min(source.len());
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

fn diagnostics(source: &str, list: &[oxc::diagnostics::OxcDiagnostic]) -> Vec<Diagnostic> {
    list.iter()
        .map(|d| {
            let offset = d.labels.first().map_or(0, |l| l.offset());
            let (line, column) = line_col(source, offset);
            Diagnostic { message: d.message.to_string(), line, column, help: d.help.as_ref().map(|h| h.to_string()) }
        })
        .collect()
}

/// Compiles one module. `file_name` decides the dialect (`.ts`, `.mts`, `.js`, `.mjs`, …).
/// Plain JavaScript goes through the same pipeline, so its imports are listed the same way.
pub fn compile(file_name: &str, source: &str) -> Result<Compiled, Vec<Diagnostic>> {
    let allocator = Allocator::default();
    let path = Path::new(file_name);
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::mjs()).with_module(true);

    let parsed = Parser::new(&allocator, source, source_type).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        let mut d = diagnostics(source, &parsed.diagnostics);
        if d.is_empty() {
            d.push(Diagnostic { message: "could not parse this file".into(), line: 1, column: 1, help: None });
        }
        return Err(d);
    }
    let mut program = parsed.program;
    let is_js = matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "cjs"));
    if is_js && !parsed.module_record.has_module_syntax {
        let mut scan = CjsScan { source, cjs: CommonJs::default() };
        scan.visit_program(&program);
        return Ok(Compiled { code: source.to_string(), positions: PositionMap::default(), imports: Vec::new(), commonjs: Some(scan.cjs) });
    }

    // `with_enum_eval(true)` is required: oxc_transformer panics on `enum` without it.
    let semantic = SemanticBuilder::new().with_check_syntax_error(true).with_enum_eval(true).build(&program);
    if !semantic.diagnostics.is_empty() {
        return Err(diagnostics(source, &semantic.diagnostics));
    }
    let scoping = semantic.semantic.into_scoping();

    let options = TransformOptions::default();
    let ret = Transformer::new(&allocator, path, &options).build_with_scoping(scoping, &mut program);
    if !ret.diagnostics.is_empty() {
        return Err(diagnostics(source, &ret.diagnostics));
    }

    let mut imports = Vec::new();
    for stmt in &program.body {
        let source_lit = match stmt {
            Statement::ImportDeclaration(d) => Some(&d.source),
            Statement::ExportAllDeclaration(d) => Some(&d.source),
            Statement::ExportFromDeclaration(d) => Some(&d.source),
            _ => None,
        };
        if let Some(s) = source_lit {
            let (line, column) = line_col(source, s.span.start);
            let import = Import { specifier: s.value.to_string(), line, column };
            if !imports.iter().any(|i: &Import| i.specifier == import.specifier) {
                imports.push(import);
            }
        }
    }

    let options = oxc::codegen::CodegenOptions { source_map_path: Some(path.to_path_buf()), ..Default::default() };
    let out = Codegen::new().with_options(options).build(&program);
    let mut positions = PositionMap::default();
    if let Some(map) = &out.map {
        for t in map.get_tokens() {
            let line = t.get_dst_line() as usize;
            if positions.0.len() <= line {
                positions.0.resize(line + 1, Vec::new());
            }
            positions.0[line].push((t.get_dst_col(), t.get_src_line(), t.get_src_col()));
        }
    }
    Ok(Compiled { code: out.code, positions, imports, commonjs: None })
}

struct CjsScan<'s> {
    source: &'s str,
    cjs: CommonJs,
}

impl CjsScan<'_> {
    fn export(&mut self, name: &str) {
        if name != "default" && name != "__esModule" && !self.cjs.exports.iter().any(|e| e == name) {
            self.cjs.exports.push(name.to_string());
        }
    }
}

fn is_exports_object(e: &Expression) -> bool {
    e.is_specific_id("exports") || e.is_specific_member_access("module", "exports")
}

impl<'a> Visit<'a> for CjsScan<'_> {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if it.callee.is_specific_id("require")
            && it.arguments.len() == 1
            && let Argument::StringLiteral(s) = &it.arguments[0]
        {
            let (line, column) = line_col(self.source, s.span.start);
            let spec = s.value.to_string();
            if !self.cjs.requires.iter().any(|r| r.specifier == spec) {
                self.cjs.requires.push(Import { specifier: spec, line, column });
            }
        }
        if it.callee.is_specific_member_access("Object", "defineProperty")
            && it.arguments.len() >= 2
            && let (Some(target), Argument::StringLiteral(name)) = (it.arguments[0].as_expression(), &it.arguments[1])
            && is_exports_object(target)
        {
            self.export(&name.value);
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        if let AssignmentTarget::StaticMemberExpression(m) = &it.left {
            if is_exports_object(&m.object) {
                self.export(&m.property.name);
            } else if m.object.is_specific_id("module")
                && m.property.name == "exports"
                && let Expression::ObjectExpression(o) = &it.right
            {
                for p in &o.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = p
                        && let PropertyKey::StaticIdentifier(id) = &p.key
                    {
                        self.export(&id.name);
                    }
                }
            }
        }
        walk::walk_assignment_expression(self, it);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_types_and_lowers_enums() {
        let c = compile("a.ts", "enum E { A = 1 }\nconst x: number = E.A;\nexport default x;\n").unwrap();
        assert!(c.code.contains("E[E[\"A\"] = 1]") || c.code.contains("E[\"A\"]"), "{}", c.code);
        assert!(!c.code.contains(": number"));
    }

    #[test]
    fn lists_value_imports_only() {
        let src =
            "import type { T } from './types';\nimport { a, type B } from './a.js';\nimport { C } from './c.js';\nexport * from 'zod';\nexport { d } from \"./d.js\";\nexport type { E } from './e.js';\nconst x: C = a;\nexport default x;\n";
        let c = compile("m.ts", src).unwrap();
        let specs: Vec<_> = c.imports.iter().map(|i| i.specifier.as_str()).collect();
        // `./c.js` is only used as a type, so oxc elides it.
        assert_eq!(specs, ["./a.js", "zod", "./d.js"]);
        assert_eq!((c.imports[0].line, c.imports[0].column), (2, 27));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = compile("bad.ts", "const a = 1;\nexport default {\n  x: ,\n};\n").unwrap_err();
        assert_eq!((err[0].line, err[0].column), (3, 6), "{err:?}");
    }

    #[test]
    fn commonjs_is_detected_with_requires_and_exports() {
        let src = "const a = require('a');\nexports.one = 1;\nmodule.exports.two = 2;\nObject.defineProperty(exports, 'three', {});\nfunction f() { return require(\"./b.js\"); }\n";
        let c = compile("node_modules/x/index.js", src).unwrap();
        let cjs = c.commonjs.unwrap();
        assert_eq!(cjs.requires.iter().map(|r| r.specifier.as_str()).collect::<Vec<_>>(), ["a", "./b.js"]);
        assert_eq!(cjs.exports, ["one", "two", "three"]);
        let c = compile("m.js", "module.exports = { a, b: 2 };").unwrap();
        assert_eq!(c.commonjs.unwrap().exports, ["a", "b"]);
        assert!(compile("m.js", "export const a = 1;").unwrap().commonjs.is_none());
    }

    #[test]
    fn positions_map_back_to_the_typescript() {
        let src = "// a comment\n\ninterface A { x: number }\n\nexport const f = (a: number): number => {\n  throw new Error('boom ' + a);\n};\n";
        let c = compile("m.ts", src).unwrap();
        let (gl, gc) = c.code.lines().enumerate().find_map(|(i, l)| l.find("throw").map(|p| (i as u32 + 1, p as u32 + 1))).unwrap();
        assert_eq!(c.positions.original(gl, gc), Some((6, 3)), "{}", c.code);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("a", 99), (1, 2));
    }
}
