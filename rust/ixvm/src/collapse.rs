//! Atoms (axioms, opaques, inductive blocks' members) of different names
//! whose content is equal are one anonymous constant, so the circuit
//! identifies them where `ix check` keeps them apart. That matters only
//! where one constant's check can see both: the check of a constant
//! consults its closure (every constant its type, value or block names,
//! transitively), and a closure holding at most one name of each anonymous
//! constant is, renamed, the anonymous closure the circuit checks.

use ix_lean::{Environment, Expr, ExprRef, Literal, Name};
use ixon::Address;
use std::collections::{HashMap, HashSet};

/// Two names of one anonymous atom and a constant whose closure holds
/// both, when there is one.
pub fn collapse_seen_together(
    lean: &Environment,
    atoms: &[(&Name, Address)],
) -> Option<(Name, Name, Name)> {
    let mut by_address: HashMap<Address, Vec<&Name>> = HashMap::new();
    for (name, addr) in atoms {
        by_address.entry(*addr).or_default().push(name);
    }
    let mut groups: Vec<Vec<&Name>> = by_address.into_values().filter(|g| g.len() > 1).collect();
    if groups.is_empty() {
        return None;
    }
    groups.sort();
    let graph = ReferenceGraph::new(lean);
    groups
        .iter()
        .find_map(|group| graph.closure_with_two_of(group))
}

/// Which constants name which: `users[c]` are the constants that name `c`.
struct ReferenceGraph {
    names: Vec<Name>,
    index: HashMap<Name, usize>,
    users: Vec<Vec<usize>>,
}

impl ReferenceGraph {
    fn new(lean: &Environment) -> Self {
        let mut graph = ReferenceGraph {
            names: Vec::new(),
            index: HashMap::new(),
            users: Vec::new(),
        };
        for decl in &lean.decls {
            let members = decl.names();
            let ids: Vec<usize> = members.iter().map(|n| graph.id(n)).collect();
            let mut named = HashSet::new();
            for e in decl.terms() {
                referenced_names(e, &mut named);
            }
            // The members of a block are checked together.
            named.extend(members.iter().map(|n| (*n).clone()));
            for n in &named {
                let target = graph.id(n);
                for &user in &ids {
                    if user != target {
                        graph.users[target].push(user);
                    }
                }
            }
        }
        graph
    }

    fn id(&mut self, n: &Name) -> usize {
        if let Some(&i) = self.index.get(n) {
            return i;
        }
        self.names.push(n.clone());
        self.users.push(Vec::new());
        self.index.insert(n.clone(), self.names.len() - 1);
        self.names.len() - 1
    }

    /// A constant whose closure holds two names of `group`: each name's
    /// users are walked, marked with the name that reached them first.
    fn closure_with_two_of(&self, group: &[&Name]) -> Option<(Name, Name, Name)> {
        let mut reached_from: HashMap<usize, usize> = HashMap::new();
        for (member, name) in group.iter().enumerate() {
            let Some(&start) = self.index.get(*name) else {
                continue;
            };
            let mut stack = vec![start];
            while let Some(c) = stack.pop() {
                match reached_from.get(&c) {
                    Some(&m) if m == member => {}
                    Some(&m) => {
                        let (a, b) = ordered(group[m], group[member]);
                        return Some((a.clone(), b.clone(), self.names[c].clone()));
                    }
                    None => {
                        reached_from.insert(c, member);
                        stack.extend(&self.users[c]);
                    }
                }
            }
        }
        None
    }
}

fn ordered<'a>(a: &'a Name, b: &'a Name) -> (&'a Name, &'a Name) {
    if a.to_string() <= b.to_string() {
        (a, b)
    } else {
        (b, a)
    }
}

/// The constants `e` names, adding those a literal stands for (`ix check`
/// types a Nat literal by `Nat` and a string literal by `String`).
fn referenced_names(e: &ExprRef, out: &mut HashSet<Name>) {
    let mut seen: HashSet<*const Expr> = HashSet::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if !seen.insert(std::sync::Arc::as_ptr(e)) {
            continue;
        }
        match &**e {
            Expr::Const(n, _) | Expr::Proj(n, _, _) => {
                out.insert(n.clone());
            }
            Expr::Lit(Literal::Nat(_)) => {
                out.insert(Name::from_dotted("Nat"));
            }
            Expr::Lit(Literal::Str(_)) => {
                out.insert(Name::from_dotted("String"));
            }
            _ => {}
        }
        stack.extend(e.children());
    }
}
