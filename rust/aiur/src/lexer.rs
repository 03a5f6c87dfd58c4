//! Tokenizer for `.aiur` sources: identifiers, integers, punctuation, comments.

use crate::error::{err, CResult, Pos};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    Int(u128),
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Lt,
    Gt,
    Comma,
    Semi,
    Colon,
    PathSep,
    Dot,
    Arrow,
    FatArrow,
    Amp,
    Hash,
    Bang,
    Plus,
    Minus,
    Star,
    Eq,
    Underscore,
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        let text = match self {
            Tok::Ident(name) => return format!("`{name}`"),
            Tok::Int(value) => return format!("`{value}`"),
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Lt => "<",
            Tok::Gt => ">",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::Colon => ":",
            Tok::PathSep => "::",
            Tok::Dot => ".",
            Tok::Arrow => "->",
            Tok::FatArrow => "=>",
            Tok::Amp => "&",
            Tok::Hash => "#",
            Tok::Bang => "!",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Eq => "=",
            Tok::Underscore => "_",
            Tok::Eof => return "end of file".to_string(),
        };
        format!("`{text}`")
    }
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    pos: Pos,
}

impl Cursor<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.bump();
            true
        } else {
            false
        }
    }
}

/// Splits a source into tokens, ending with `Tok::Eof`.
pub fn tokenize(src: &str) -> CResult<Vec<Token>> {
    let mut cur = Cursor {
        chars: src.chars().peekable(),
        pos: Pos { line: 1, col: 1 },
    };
    let mut out = Vec::new();
    loop {
        skip_trivia(&mut cur)?;
        let pos = cur.pos;
        let Some(c) = cur.bump() else {
            out.push(Token { tok: Tok::Eof, pos });
            return Ok(out);
        };
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            '<' => Tok::Lt,
            '>' => Tok::Gt,
            ',' => Tok::Comma,
            ';' => Tok::Semi,
            '.' => Tok::Dot,
            '&' => Tok::Amp,
            '#' => Tok::Hash,
            '!' => Tok::Bang,
            '+' => Tok::Plus,
            '*' => Tok::Star,
            ':' if cur.eat(':') => Tok::PathSep,
            ':' => Tok::Colon,
            '-' if cur.eat('>') => Tok::Arrow,
            '-' => Tok::Minus,
            '=' if cur.eat('>') => Tok::FatArrow,
            '=' => Tok::Eq,
            '0'..='9' => lex_int(&mut cur, c, pos)?,
            c if c == '_' || c.is_ascii_alphabetic() => lex_word(&mut cur, c),
            other => return err(pos, format!("unexpected character `{other}`")),
        };
        out.push(Token { tok, pos });
    }
}

fn skip_trivia(cur: &mut Cursor<'_>) -> CResult<()> {
    loop {
        match cur.peek() {
            Some(c) if c.is_whitespace() => {
                cur.bump();
            }
            Some('/') => {
                let start = cur.pos;
                let mut ahead = cur.chars.clone();
                ahead.next();
                match ahead.next() {
                    Some('/') => {
                        while !matches!(cur.peek(), None | Some('\n')) {
                            cur.bump();
                        }
                    }
                    Some('*') => {
                        cur.bump();
                        cur.bump();
                        skip_block_comment(cur, start)?;
                    }
                    _ => return err(start, "unexpected character `/`"),
                }
            }
            _ => return Ok(()),
        }
    }
}

fn skip_block_comment(cur: &mut Cursor<'_>, start: Pos) -> CResult<()> {
    loop {
        match cur.bump() {
            None => return err(start, "unterminated block comment"),
            Some('*') if cur.eat('/') => return Ok(()),
            Some(_) => {}
        }
    }
}

fn lex_int(cur: &mut Cursor<'_>, first: char, pos: Pos) -> CResult<Tok> {
    let mut digits = String::from(first);
    while let Some(c) = cur.peek() {
        if c.is_ascii_alphanumeric() || c == '_' {
            digits.push(c);
            cur.bump();
        } else {
            break;
        }
    }
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    let parsed = match cleaned.strip_prefix("0x") {
        Some(hex) => u128::from_str_radix(hex, 16),
        None => cleaned.parse::<u128>(),
    };
    match parsed {
        Ok(value) => Ok(Tok::Int(value)),
        Err(_) => err(pos, format!("invalid integer literal `{digits}`")),
    }
}

fn lex_word(cur: &mut Cursor<'_>, first: char) -> Tok {
    let mut word = String::from(first);
    while let Some(c) = cur.peek() {
        if c == '_' || c.is_ascii_alphanumeric() {
            word.push(c);
            cur.bump();
        } else {
            break;
        }
    }
    if word == "_" {
        Tok::Underscore
    } else {
        Tok::Ident(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_tokens() {
        let toks = tokenize("fn f(x: &G) -> G {\n  // c\n  x::y => 0x1f }").unwrap();
        let kinds: Vec<Tok> = toks.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(kinds[0], Tok::Ident("fn".into()));
        assert!(kinds.contains(&Tok::Arrow));
        assert!(kinds.contains(&Tok::PathSep));
        assert!(kinds.contains(&Tok::FatArrow));
        assert!(kinds.contains(&Tok::Int(31)));
        let y = toks
            .iter()
            .find(|t| t.tok == Tok::Ident("y".into()))
            .unwrap();
        assert_eq!(y.pos, Pos { line: 3, col: 6 });
    }

    #[test]
    fn errors_are_positioned() {
        let e = tokenize("fn\n  $").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 3 });
        assert!(tokenize("/* open").is_err());
        assert!(tokenize("0xzz").is_err());
    }
}
