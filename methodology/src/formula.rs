//! Formulas: computed indicators (`online / total * 100`), cross-indicator
//! rules (`online <= total`) and crosswalk transforms (`x / 100`).
//!
//! Grammar, loosest first: `or`, `and`, comparisons (`< <= > >= == !=`),
//! `+ -`, `* /`, unary `-`, then numbers, codes, `(…)` and the functions
//! `min(a, b, …)`, `max(a, b, …)`, `abs(a)`, `if(c, a, b)`. A code is a
//! letter or `_` followed by letters, digits, `_` or `.`; any other code is
//! written in brackets: `[2.1]`. A missing operand or a division by zero
//! makes the result missing rather than wrong.

use serde::{Deserialize, Serialize};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// A literal.
    Num(f64),
    /// The value of an indicator (or `x` in a transform).
    Var(String),
    /// `-a`.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin(Op, Box<Expr>, Box<Expr>),
    /// A function call.
    Call(Func, Vec<Expr>),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

/// Functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Func {
    Min,
    Max,
    Abs,
    If,
}

/// Where and why a formula did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {pos}: {message}")]
pub struct FormulaError {
    /// Character offset (from 1) in the formula.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

/// The most tokens a formula may have: real formulas have a few dozen, and
/// the bound keeps the expression tree (and so the recursion that walks it)
/// shallow.
pub const MAX_TOKENS: usize = 1_000;

/// The deepest nesting of brackets, calls and unary minus.
pub const MAX_NESTING: usize = 32;

/// Parses a formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let tokens = lex(src)?;
    if let Some((pos, _)) = tokens.get(MAX_TOKENS) {
        return Err(FormulaError {
            pos: *pos,
            message: format!("the formula is longer than {MAX_TOKENS} tokens"),
        });
    }
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some((pos, t)) => Err(FormulaError {
            pos: *pos,
            message: format!("unexpected {t:?}"),
        }),
    }
}

impl Expr {
    /// Every code the expression reads, in order of appearance.
    pub fn vars(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Num(_) => {}
            Expr::Var(v) => out.push(v),
            Expr::Neg(a) => a.collect(out),
            Expr::Bin(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
    }

    /// Evaluates with `var` supplying values; `None` when an operand is
    /// missing or a division by zero occurs. Truth is 1, falsehood 0.
    pub fn eval(&self, var: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        Some(match self {
            Expr::Num(n) => *n,
            Expr::Var(v) => var(v)?,
            Expr::Neg(a) => -a.eval(var)?,
            Expr::Bin(op, l, r) => {
                let (x, y) = (l.eval(var)?, r.eval(var)?);
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => {
                        if y == 0.0 {
                            return None;
                        }
                        x / y
                    }
                    Op::Lt => b(x < y),
                    Op::Le => b(x <= y),
                    Op::Gt => b(x > y),
                    Op::Ge => b(x >= y),
                    Op::Eq => b((x - y).abs() <= 1e-9),
                    Op::Ne => b((x - y).abs() > 1e-9),
                    Op::And => b(x != 0.0 && y != 0.0),
                    Op::Or => b(x != 0.0 || y != 0.0),
                }
            }
            Expr::Call(f, args) => {
                let vals: Option<Vec<f64>> = args.iter().map(|a| a.eval(var)).collect();
                let vals = vals?;
                match f {
                    Func::Min => vals.into_iter().fold(f64::INFINITY, f64::min),
                    Func::Max => vals.into_iter().fold(f64::NEG_INFINITY, f64::max),
                    Func::Abs => vals[0].abs(),
                    Func::If => {
                        if vals[0] != 0.0 {
                            vals[1]
                        } else {
                            vals[2]
                        }
                    }
                }
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Sym(&'static str),
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, FormulaError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |pos: usize, message: String| FormulaError {
        pos: pos + 1,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = s
                .parse()
                .map_err(|_| err(start, format!("bad number {s:?}")))?;
            out.push((start + 1, Tok::Num(n)));
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push((start + 1, Tok::Ident(chars[start..i].iter().collect())));
        } else if c == '[' {
            let end = chars[i..]
                .iter()
                .position(|&c| c == ']')
                .ok_or_else(|| err(start, "unclosed [".into()))?;
            let code: String = chars[i + 1..i + end].iter().collect();
            if code.trim().is_empty() {
                return Err(err(start, "empty [] code".into()));
            }
            out.push((start + 1, Tok::Ident(code.trim().to_owned())));
            i += end + 1;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = ["<=", ">=", "==", "!=", "&&", "||"]
                .into_iter()
                .find(|s| *s == two)
                .or_else(|| {
                    ["+", "-", "*", "/", "(", ")", ",", "<", ">"]
                        .into_iter()
                        .find(|s| s.starts_with(c))
                })
                .ok_or_else(|| err(start, format!("unexpected character {c:?}")))?;
            i += sym.chars().count();
            out.push((start + 1, Tok::Sym(sym)));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    at: usize,
    /// Brackets, calls and unary minus open around the current token.
    depth: usize,
}

impl Parser {
    /// Runs `inner` one nesting level deeper, refusing to go past
    /// [`MAX_NESTING`] (deep input would otherwise overflow the stack).
    fn nested(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Result<Expr, FormulaError>,
    ) -> Result<Expr, FormulaError> {
        if self.depth >= MAX_NESTING {
            return self.error(&format!("nested more than {MAX_NESTING} levels deep"));
        }
        self.depth += 1;
        let e = inner(self);
        self.depth -= 1;
        e
    }

    fn peek(&self) -> Option<&(usize, Tok)> {
        self.tokens.get(self.at)
    }

    fn eat_sym(&mut self, syms: &[&'static str]) -> Option<&'static str> {
        match self.peek() {
            Some((_, Tok::Sym(s))) if syms.contains(s) => {
                let s = *s;
                self.at += 1;
                Some(s)
            }
            _ => None,
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some((_, Tok::Ident(w))) if w == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn error<T>(&self, message: &str) -> Result<T, FormulaError> {
        let pos = self.peek().map_or_else(
            || self.tokens.last().map_or(1, |(p, _)| *p + 1),
            |(p, _)| *p,
        );
        Err(FormulaError {
            pos,
            message: message.into(),
        })
    }

    fn or(&mut self) -> Result<Expr, FormulaError> {
        let mut l = self.and()?;
        while self.eat_word("or") || self.eat_sym(&["||"]).is_some() {
            l = Expr::Bin(Op::Or, Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, FormulaError> {
        let mut l = self.cmp()?;
        while self.eat_word("and") || self.eat_sym(&["&&"]).is_some() {
            l = Expr::Bin(Op::And, Box::new(l), Box::new(self.cmp()?));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Expr, FormulaError> {
        let l = self.add()?;
        let op = match self.eat_sym(&["<", "<=", ">", ">=", "==", "!="]) {
            Some("<") => Op::Lt,
            Some("<=") => Op::Le,
            Some(">") => Op::Gt,
            Some(">=") => Op::Ge,
            Some("==") => Op::Eq,
            Some("!=") => Op::Ne,
            _ => return Ok(l),
        };
        Ok(Expr::Bin(op, Box::new(l), Box::new(self.add()?)))
    }

    fn add(&mut self) -> Result<Expr, FormulaError> {
        let mut l = self.mul()?;
        while let Some(s) = self.eat_sym(&["+", "-"]) {
            let op = if s == "+" { Op::Add } else { Op::Sub };
            l = Expr::Bin(op, Box::new(l), Box::new(self.mul()?));
        }
        Ok(l)
    }

    fn mul(&mut self) -> Result<Expr, FormulaError> {
        let mut l = self.unary()?;
        while let Some(s) = self.eat_sym(&["*", "/"]) {
            let op = if s == "*" { Op::Mul } else { Op::Div };
            l = Expr::Bin(op, Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if self.eat_sym(&["-"]).is_some() {
            return self.nested(|p| Ok(Expr::Neg(Box::new(p.unary()?))));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, FormulaError> {
        let Some((_, tok)) = self.peek().cloned() else {
            return self.error("expression ends too early");
        };
        match tok {
            Tok::Num(n) => {
                self.at += 1;
                Ok(Expr::Num(n))
            }
            Tok::Sym("(") => self.nested(|p| {
                p.at += 1;
                let e = p.or()?;
                if p.eat_sym(&[")"]).is_none() {
                    return p.error("expected )");
                }
                Ok(e)
            }),
            Tok::Ident(name) => {
                self.at += 1;
                if self.eat_sym(&["("]).is_none() {
                    return Ok(Expr::Var(name));
                }
                let func = match name.as_str() {
                    "min" => Func::Min,
                    "max" => Func::Max,
                    "abs" => Func::Abs,
                    "if" => Func::If,
                    _ => return self.error(&format!("unknown function {name}")),
                };
                let mut args = Vec::new();
                if self.eat_sym(&[")"]).is_none() {
                    loop {
                        args.push(self.nested(Self::or)?);
                        if self.eat_sym(&[")"]).is_some() {
                            break;
                        }
                        if self.eat_sym(&[","]).is_none() {
                            return self.error("expected , or )");
                        }
                    }
                }
                let arity_ok = match func {
                    Func::Abs => args.len() == 1,
                    Func::If => args.len() == 3,
                    Func::Min | Func::Max => !args.is_empty(),
                };
                if !arity_ok {
                    return self.error(&format!("wrong number of arguments to {name}"));
                }
                Ok(Expr::Call(func, args))
            }
            Tok::Sym(s) => self.error(&format!("unexpected {s}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, vars: &[(&str, f64)]) -> Option<f64> {
        parse(src)
            .unwrap()
            .eval(&|v| vars.iter().find(|(k, _)| *k == v).map(|(_, x)| *x))
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(
            eval(
                "online / total * 100",
                &[("online", 30.0), ("total", 120.0)]
            ),
            Some(25.0)
        );
        assert_eq!(eval("1 + 2 * 3 - -1", &[]), Some(8.0));
        assert_eq!(
            eval("max(a, 2, [2.1]) + min(1, 5)", &[("a", 1.0), ("2.1", 7.0)]),
            Some(8.0)
        );
        assert_eq!(
            eval("if(a > 1 and a < 3, 10, 20)", &[("a", 2.0)]),
            Some(10.0)
        );
    }

    #[test]
    fn missing_and_division_by_zero_are_missing() {
        assert_eq!(eval("a / b", &[("a", 1.0), ("b", 0.0)]), None);
        assert_eq!(eval("a + b", &[("a", 1.0)]), None);
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse("1 + ").unwrap_err().message,
            "expression ends too early"
        );
        assert_eq!(parse("a $ b").unwrap_err().pos, 3);
        assert!(
            parse("foo(1)")
                .unwrap_err()
                .message
                .contains("unknown function")
        );
        assert_eq!(parse("(a + b").unwrap_err().message, "expected )");
    }

    #[test]
    fn vars_are_collected() {
        let e = parse("D1.S1.I1 / [2.1] * 100").unwrap();
        assert_eq!(e.vars(), vec!["D1.S1.I1", "2.1"]);
    }

    /// Found by the `formula` fuzz target: 50,000 opening brackets
    /// overflowed the stack (and would have taken the server with it).
    #[test]
    fn deep_or_long_formulas_are_refused_not_a_stack_overflow() {
        let wrap =
            |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        for deep in [
            wrap("(", ")", 50_000),
            wrap("-", "", 50_000),
            wrap("abs(", ")", 50_000),
            wrap("min(1, ", ")", 50_000),
        ] {
            let e = parse(&deep).unwrap_err();
            assert!(
                e.message.contains("tokens") || e.message.contains("levels deep"),
                "{e}"
            );
        }
        let e = parse(&wrap("(", ")", MAX_NESTING + 1)).unwrap_err();
        assert_eq!(e.message, "nested more than 32 levels deep");
        assert_eq!(e.pos, MAX_NESTING + 1);
        assert_eq!(eval(&wrap("(", ")", MAX_NESTING), &[]), Some(1.0));
        assert_eq!(eval(&wrap("-", "", MAX_NESTING), &[]), Some(1.0));
        // The longest chain allowed still evaluates (a left-deep tree).
        let chain = vec!["1"; MAX_TOKENS / 2].join("+");
        assert_eq!(eval(&chain, &[]), Some((MAX_TOKENS / 2) as f64));
        assert!(
            parse(&format!("{chain}+1"))
                .unwrap_err()
                .message
                .contains("tokens")
        );
    }
}
