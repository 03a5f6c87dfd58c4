//! Refinement: two-way FM (inside bisections), direct k-way label
//! propagation and FM on a km1 gain cache, and rebalancing of overloaded
//! parts.

pub(crate) mod flow;
pub(crate) mod fm;
pub(crate) mod heap;
pub(crate) mod kway;
pub(crate) mod rebalance;
