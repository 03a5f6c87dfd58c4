//! Hand-written recursive-descent parser from tokens to the syntax tree.

use crate::ast::*;
use crate::error::{err, CResult, CompileError, Pos};
use crate::lexer::{tokenize, Tok, Token};

/// Nesting deeper than this is rejected, so hostile input cannot overflow the stack.
const MAX_DEPTH: u32 = 200;

/// Parses a whole `.aiur` source.
pub fn parse(src: &str) -> CResult<SourceFile> {
    let tokens = tokenize(src)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        next_id: 0,
        depth: 0,
    };
    let mut items = Vec::new();
    while parser.peek() != &Tok::Eof {
        items.push(parser.item()?);
    }
    Ok(SourceFile {
        items,
        expr_count: parser.next_id,
    })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    next_id: ExprId,
    depth: u32,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens
            .get((self.at + ahead).min(last))
            .map_or(&Tok::Eof, |t| &t.tok)
    }

    fn pos(&self) -> Pos {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens
            .get(self.at.min(last))
            .map_or(Pos::default(), |t| t.pos)
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if tok != Tok::Eof {
            self.at += 1;
        }
        tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == tok {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok) -> CResult<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            self.unexpected(&tok.describe())
        }
    }

    fn unexpected<T>(&self, wanted: &str) -> CResult<T> {
        err(
            self.pos(),
            format!("expected {wanted}, found {}", self.peek().describe()),
        )
    }

    fn ident(&mut self) -> CResult<String> {
        match self.peek().clone() {
            Tok::Ident(name) => {
                self.bump();
                Ok(name)
            }
            _ => self.unexpected("an identifier"),
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Tok::Ident(name) if name == word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn int(&mut self) -> CResult<u64> {
        let pos = self.pos();
        match self.bump() {
            Tok::Int(value) => u64::try_from(value).or_else(|_| err(pos, "integer too large")),
            _ => err(pos, "expected an integer"),
        }
    }

    /// One more level of brackets, blocks or chained operators, refused
    /// past `MAX_DEPTH`; the caller takes it off `depth` again.
    fn enter(&mut self) -> CResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(
                self.pos(),
                format!("nesting too deep (more than {MAX_DEPTH} levels of brackets, blocks or chained operators)"),
            );
        }
        Ok(())
    }

    /// Runs `parse` one level deeper (see `enter`).
    fn deeper<T>(&mut self, parse: impl FnOnce(&mut Self) -> CResult<T>) -> CResult<T> {
        self.enter()?;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn fresh_id(&mut self) -> ExprId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn expr_at(&mut self, pos: Pos, kind: ExprKind) -> Expr {
        Expr {
            id: self.fresh_id(),
            pos,
            kind,
        }
    }

    /// `a, b, c` up to (and consuming) `close`, allowing a trailing comma.
    fn comma_list<T>(
        &mut self,
        close: &Tok,
        mut one: impl FnMut(&mut Self) -> CResult<T>,
    ) -> CResult<Vec<T>> {
        let mut out = Vec::new();
        while !self.eat(close) {
            out.push(one(self)?);
            if !self.eat(&Tok::Comma) {
                self.expect(close)?;
                break;
            }
        }
        Ok(out)
    }

    /// At `(`: `(a)` is `a` itself, `()` and `(a, b, …)` the tuple `tuple`
    /// makes. (`(a,)` would need a trailing-comma rule we do not have.)
    fn paren_or_tuple<T>(
        &mut self,
        one: impl FnMut(&mut Self) -> CResult<T>,
        tuple: impl FnOnce(&mut Self, Vec<T>) -> T,
    ) -> CResult<T> {
        self.bump();
        let mut elems = self.comma_list(&Tok::RParen, one)?;
        if elems.len() == 1 {
            return Ok(elems.remove(0));
        }
        Ok(tuple(self, elems))
    }

    /// After `E::`: the constructor's name and its `(a, ..)` arguments, if
    /// any (in expressions and patterns alike).
    fn ctor_args<T>(
        &mut self,
        arg: impl FnMut(&mut Self) -> CResult<T>,
    ) -> CResult<(String, Vec<T>)> {
        let ctor = self.ident()?;
        let args = if self.eat(&Tok::LParen) {
            self.comma_list(&Tok::RParen, arg)?
        } else {
            Vec::new()
        };
        Ok((ctor, args))
    }

    fn item(&mut self) -> CResult<Item> {
        let pos = self.pos();
        let is_pub = self.keyword("pub");
        if self.keyword("fn") {
            return self.fn_def(pos, is_pub).map(Item::Fn);
        }
        if is_pub {
            return self.unexpected("`fn` after `pub`");
        }
        if self.keyword("enum") {
            return self.enum_def(pos).map(Item::Enum);
        }
        if self.keyword("type") {
            let name = self.ident()?;
            let type_params = self.type_params()?;
            self.expect(&Tok::Eq)?;
            let ty = self.ty()?;
            self.expect(&Tok::Semi)?;
            return Ok(Item::Alias(AliasDef {
                pos,
                name,
                type_params,
                ty,
            }));
        }
        self.unexpected("`fn`, `pub fn`, `enum` or `type`")
    }

    fn type_params(&mut self) -> CResult<Vec<String>> {
        if self.eat(&Tok::Lt) {
            self.comma_list(&Tok::Gt, Self::ident)
        } else {
            Ok(Vec::new())
        }
    }

    fn fn_def(&mut self, pos: Pos, is_pub: bool) -> CResult<FnDef> {
        let name = self.ident()?;
        let type_params = self.type_params()?;
        self.expect(&Tok::LParen)?;
        let params = self.comma_list(&Tok::RParen, |p| {
            let name = p.ident()?;
            p.expect(&Tok::Colon)?;
            Ok((name, p.ty()?))
        })?;
        let ret = if self.eat(&Tok::Arrow) {
            self.ty()?
        } else {
            TypeExpr {
                pos: self.pos(),
                kind: TypeExprKind::Tuple(Vec::new()),
            }
        };
        let body = self.block()?;
        Ok(FnDef {
            pos,
            name,
            is_pub,
            type_params,
            params,
            ret,
            body,
        })
    }

    fn enum_def(&mut self, pos: Pos) -> CResult<EnumDef> {
        let name = self.ident()?;
        let type_params = self.type_params()?;
        self.expect(&Tok::LBrace)?;
        let ctors = self.comma_list(&Tok::RBrace, |p| {
            let pos = p.pos();
            let name = p.ident()?;
            let fields = if p.eat(&Tok::LParen) {
                p.comma_list(&Tok::RParen, Self::ty)?
            } else {
                Vec::new()
            };
            Ok(CtorDef { pos, name, fields })
        })?;
        Ok(EnumDef {
            pos,
            name,
            type_params,
            ctors,
        })
    }

    fn ty(&mut self) -> CResult<TypeExpr> {
        self.deeper(Self::ty_inner)
    }

    fn ty_inner(&mut self) -> CResult<TypeExpr> {
        let pos = self.pos();
        let kind = match self.peek() {
            Tok::Amp => {
                self.bump();
                TypeExprKind::Ptr(Box::new(self.ty()?))
            }
            Tok::LParen => {
                let tuple = |_: &mut Self, elems| TypeExpr {
                    pos,
                    kind: TypeExprKind::Tuple(elems),
                };
                return self.paren_or_tuple(Self::ty, tuple);
            }
            Tok::LBracket => {
                self.bump();
                let elem = self.ty()?;
                self.expect(&Tok::Semi)?;
                let len = self.int()?;
                self.expect(&Tok::RBracket)?;
                TypeExprKind::Array(Box::new(elem), len)
            }
            Tok::Ident(_) => {
                let name = self.ident()?;
                let args = if self.eat(&Tok::Lt) {
                    self.comma_list(&Tok::Gt, Self::ty)?
                } else {
                    Vec::new()
                };
                TypeExprKind::Named(name, args)
            }
            _ => return self.unexpected("a type"),
        };
        Ok(TypeExpr { pos, kind })
    }

    fn block(&mut self) -> CResult<Expr> {
        let pos = self.pos();
        self.expect(&Tok::LBrace)?;
        self.deeper(|p| p.block_rest(pos))
    }

    /// `pat (: ty)? = value;` after `let`. A refutable pattern becomes a
    /// `match` of the value with one more arm, `_ => unreachable!()`, around
    /// the rest of its block (`rest`): a value it does not match has no
    /// valid execution.
    fn let_stmt(&mut self) -> CResult<(Pat, Option<TypeExpr>, Expr)> {
        let pat = self.pat()?;
        let ty = if self.eat(&Tok::Colon) {
            Some(self.ty()?)
        } else {
            None
        };
        if let (Some(t), Some(_)) = (&ty, pat.refutable_at()) {
            return err(t.pos, "a refutable `let` takes no type annotation");
        }
        self.expect(&Tok::Eq)?;
        let value = self.expr()?;
        self.expect(&Tok::Semi)?;
        Ok((pat, ty, value))
    }

    fn refutable_let(&mut self, pat: Pat, value: Expr, rest: Expr) -> Expr {
        let pos = pat.pos;
        let otherwise = Arm {
            pat: Pat {
                pos,
                kind: PatKind::Wild,
            },
            body: self.expr_at(pos, ExprKind::Unreachable),
        };
        self.expr_at(
            pos,
            ExprKind::Match {
                scrutinee: Box::new(value),
                arms: vec![Arm { pat, body: rest }, otherwise],
            },
        )
    }

    /// The statements of a block after its `{`, through its `}`.
    fn block_rest(&mut self, pos: Pos) -> CResult<Expr> {
        let mut stmts = Vec::new();
        let tail = loop {
            if self.eat(&Tok::RBrace) {
                // A block without a tail expression is unit.
                break self.expr_at(self.pos(), ExprKind::Tuple(Vec::new()));
            }
            if self.keyword("let") {
                let (pat, ty, value) = self.let_stmt()?;
                if pat.refutable_at().is_some() {
                    let rest = self.deeper(|p| p.block_rest(p.pos()))?;
                    break self.refutable_let(pat, value, rest);
                }
                stmts.push(Stmt::Let { pat, ty, value });
                continue;
            }
            let expr = self.expr()?;
            // As in Rust, a block-like expression (`match`, `{ .. }`) used as
            // a statement needs no semicolon before the next statement.
            let block_like = matches!(expr.kind, ExprKind::Match { .. } | ExprKind::Block { .. });
            if self.eat(&Tok::Semi) || (block_like && *self.peek() != Tok::RBrace) {
                stmts.push(Stmt::Expr(expr));
                continue;
            }
            self.expect(&Tok::RBrace)?;
            break expr;
        };
        Ok(self.expr_at(
            pos,
            ExprKind::Block {
                stmts,
                tail: Box::new(tail),
            },
        ))
    }

    /// A match arm's body that starts with `let`: `let`s, each ended by
    /// `;`, then the arm's value (no braces needed, as upstream writes
    /// arms).
    fn let_chain(&mut self) -> CResult<Expr> {
        let pos = self.pos();
        let mut stmts = Vec::new();
        let tail = loop {
            if !self.keyword("let") {
                break self.expr()?;
            }
            let (pat, ty, value) = self.let_stmt()?;
            if pat.refutable_at().is_some() {
                let rest = self.deeper(Self::let_chain)?;
                break self.refutable_let(pat, value, rest);
            }
            stmts.push(Stmt::Let { pat, ty, value });
        };
        Ok(self.expr_at(
            pos,
            ExprKind::Block {
                stmts,
                tail: Box::new(tail),
            },
        ))
    }

    fn expr(&mut self) -> CResult<Expr> {
        self.deeper(Self::additive)
    }

    /// Each operator of a chain deepens the (left-leaning) tree by one, so
    /// it counts as one nesting level: every later pass recurses over the
    /// tree, and `1 + 1 + ... + 1` must not overflow their stacks.
    fn additive(&mut self) -> CResult<Expr> {
        let mut links = 0;
        let mut lhs = self.multiplicative()?;
        let result = loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => break Ok(lhs),
            };
            let pos = self.pos();
            self.bump();
            self.link(&mut links)?;
            let rhs = self.multiplicative()?;
            lhs = self.expr_at(pos, ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)));
        };
        self.depth -= links;
        result
    }

    fn multiplicative(&mut self) -> CResult<Expr> {
        let mut links = 0;
        let mut lhs = self.postfix()?;
        while self.peek() == &Tok::Star {
            let pos = self.pos();
            self.bump();
            self.link(&mut links)?;
            let rhs = self.postfix()?;
            lhs = self.expr_at(
                pos,
                ExprKind::Binary(BinOp::Mul, Box::new(lhs), Box::new(rhs)),
            );
        }
        self.depth -= links;
        Ok(lhs)
    }

    fn postfix(&mut self) -> CResult<Expr> {
        let mut links = 0;
        let mut expr = self.primary()?;
        loop {
            let pos = self.pos();
            if self.eat(&Tok::Dot) {
                self.link(&mut links)?;
                let index = self.int()?;
                expr = self.expr_at(pos, ExprKind::Proj(Box::new(expr), index));
            } else if self.eat(&Tok::LBracket) {
                self.link(&mut links)?;
                let index = self.int()?;
                self.expect(&Tok::RBracket)?;
                expr = self.expr_at(pos, ExprKind::Index(Box::new(expr), index));
            } else {
                self.depth -= links;
                return Ok(expr);
            }
        }
    }

    /// One more link of an operator chain: one more nesting level.
    fn link(&mut self, links: &mut u32) -> CResult<()> {
        *links += 1;
        self.enter()
    }

    fn primary(&mut self) -> CResult<Expr> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Int(value) => {
                self.bump();
                Ok(self.expr_at(pos, ExprKind::Int(value)))
            }
            Tok::LBrace => self.block(),
            Tok::LParen => self.paren_or_tuple(Self::expr, |p, elems| {
                p.expr_at(pos, ExprKind::Tuple(elems))
            }),
            Tok::LBracket => self.array(pos),
            Tok::Hash => {
                self.bump();
                let name = self.ident()?;
                self.expect(&Tok::LParen)?;
                let args = self.comma_list(&Tok::RParen, Self::expr)?;
                Ok(self.expr_at(
                    pos,
                    ExprKind::Call {
                        name,
                        args,
                        unconstrained: true,
                    },
                ))
            }
            Tok::Ident(name) => {
                self.bump();
                self.after_ident(pos, name)
            }
            _ => self.unexpected("an expression"),
        }
    }

    fn array(&mut self, pos: Pos) -> CResult<Expr> {
        self.bump();
        if self.eat(&Tok::RBracket) {
            return Ok(self.expr_at(pos, ExprKind::Array(Vec::new())));
        }
        let first = self.expr()?;
        if self.eat(&Tok::Semi) {
            let len = self.int()?;
            self.expect(&Tok::RBracket)?;
            return Ok(self.expr_at(pos, ExprKind::ArrayRepeat(Box::new(first), len)));
        }
        let mut elems = vec![first];
        if self.eat(&Tok::Comma) {
            elems.extend(self.comma_list(&Tok::RBracket, Self::expr)?);
        } else {
            self.expect(&Tok::RBracket)?;
        }
        Ok(self.expr_at(pos, ExprKind::Array(elems)))
    }

    fn after_ident(&mut self, pos: Pos, name: String) -> CResult<Expr> {
        match name.as_str() {
            "match" => return self.match_expr(pos),
            "assert_eq" | "unreachable" => return self.macro_call(pos, &name),
            _ => {}
        }
        if self.eat(&Tok::PathSep) {
            let (ctor, args) = self.ctor_args(Self::expr)?;
            return Ok(self.expr_at(
                pos,
                ExprKind::Ctor {
                    enum_name: name,
                    ctor,
                    args,
                },
            ));
        }
        if self.eat(&Tok::LParen) {
            let args = self.comma_list(&Tok::RParen, Self::expr)?;
            return Ok(self.expr_at(
                pos,
                ExprKind::Call {
                    name,
                    args,
                    unconstrained: false,
                },
            ));
        }
        Ok(self.expr_at(pos, ExprKind::Var(name)))
    }

    fn macro_call(&mut self, pos: Pos, name: &str) -> CResult<Expr> {
        self.expect(&Tok::Bang)?;
        self.expect(&Tok::LParen)?;
        let mut args = self.comma_list(&Tok::RParen, Self::expr)?;
        match (name, args.len()) {
            ("unreachable", 0) => Ok(self.expr_at(pos, ExprKind::Unreachable)),
            ("assert_eq", 2) => {
                let rhs = args
                    .pop()
                    .ok_or_else(|| CompileError::new(pos, "assert_eq! takes 2 arguments"))?;
                let lhs = args
                    .pop()
                    .ok_or_else(|| CompileError::new(pos, "assert_eq! takes 2 arguments"))?;
                Ok(self.expr_at(pos, ExprKind::AssertEq(Box::new(lhs), Box::new(rhs))))
            }
            ("unreachable", _) => err(pos, "unreachable! takes no arguments"),
            _ => err(pos, "assert_eq! takes 2 arguments"),
        }
    }

    fn match_expr(&mut self, pos: Pos) -> CResult<Expr> {
        let scrutinee = self.expr()?;
        self.expect(&Tok::LBrace)?;
        let mut arms = Vec::new();
        while !self.eat(&Tok::RBrace) {
            let pat = self.pat()?;
            self.expect(&Tok::FatArrow)?;
            let body_is_block = self.peek() == &Tok::LBrace;
            let body = if matches!(self.peek(), Tok::Ident(w) if w == "let") {
                self.let_chain()?
            } else {
                self.expr()?
            };
            arms.push(Arm { pat, body });
            if !self.eat(&Tok::Comma) && !body_is_block {
                self.expect(&Tok::RBrace)?;
                break;
            }
        }
        if arms.is_empty() {
            return err(pos, "a match needs at least one arm");
        }
        Ok(self.expr_at(
            pos,
            ExprKind::Match {
                scrutinee: Box::new(scrutinee),
                arms,
            },
        ))
    }

    fn pat(&mut self) -> CResult<Pat> {
        self.deeper(Self::pat_inner)
    }

    fn pat_inner(&mut self) -> CResult<Pat> {
        let pos = self.pos();
        let kind = match self.peek().clone() {
            Tok::Underscore => {
                self.bump();
                PatKind::Wild
            }
            Tok::Int(value) => {
                self.bump();
                PatKind::Int(value)
            }
            Tok::Amp => {
                self.bump();
                PatKind::Deref(Box::new(self.pat()?))
            }
            Tok::LParen => {
                let tuple = |_: &mut Self, elems| Pat {
                    pos,
                    kind: PatKind::Tuple(elems),
                };
                return self.paren_or_tuple(Self::pat, tuple);
            }
            Tok::LBracket => {
                self.bump();
                PatKind::Array(self.comma_list(&Tok::RBracket, Self::pat)?)
            }
            Tok::Ident(name) => {
                self.bump();
                if self.eat(&Tok::PathSep) {
                    let (ctor, args) = self.ctor_args(Self::pat)?;
                    PatKind::Ctor {
                        enum_name: name,
                        ctor,
                        args,
                    }
                } else {
                    PatKind::Bind(name)
                }
            }
            _ => return self.unexpected("a pattern"),
        };
        Ok(Pat { pos, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_items_and_expressions() {
        let src = "type U64 = [U8; 8];\n\
                   enum List<T> { Cons(T, &List<T>), Nil }\n\
                   fn len<T>(l: List<T>) -> G { match l { List::Nil => 0, List::Cons(_, &rest) => 1 + len(rest) } }\n\
                   pub fn main(a: G) -> (G, G) { let x = a * 2 + 1; assert_eq!(x, x); (x, #len(List::Nil)) }";
        let file = parse(src).unwrap();
        assert_eq!(file.items.len(), 4);
        assert!(file.expr_count > 10);
    }

    #[test]
    fn reports_positions() {
        let e = parse("fn f() -> G {\n  let = 3;\n}").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (2, 7));
        assert!(e.message.contains("expected a pattern"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!(
            "fn f() -> G {{ {}1{} }}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        assert!(parse(&src)
            .unwrap_err()
            .message
            .contains("nesting too deep"));
    }

    #[test]
    fn long_operator_chains_are_an_error_not_a_crash() {
        for op in ["+", "*", "-"] {
            let chain = vec!["1"; 30_000].join(op);
            let src = format!("pub fn f() -> G {{ {chain} }}");
            let e = parse(&src).unwrap_err();
            assert!(e.message.contains("nesting too deep"), "{e}");
        }
        let projections = format!("pub fn f(x: G) -> G {{ x{} }}", "[0]".repeat(30_000));
        assert!(parse(&projections).is_err());
        let fine = vec!["1"; 150].join(" + ");
        parse(&format!("pub fn f() -> G {{ {fine} }}")).unwrap();
    }
}
