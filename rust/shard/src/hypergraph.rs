//! A weighted hypergraph in compact CSR form (u32 ids and offsets), with both
//! directions: net → pins and vertex → incident nets.

use ixesp::Profile;

/// Why arrays do not make a hypergraph.
/// How many nets ahead the hot loops over a vertex's nets start loading
/// what they will read of a net. Each net's data sits at a random place in
/// arrays far larger than the caches (the pin counts of the 631k-block
/// profile at k = 64: 160 MB), and out-of-order execution alone does not
/// reach the next net's misses while the current net's pins are walked.
pub(crate) const PREFETCH_NETS: usize = 8;

/// Calls `prefetch` with the net `PREFETCH_NETS` after the `i`-th of
/// `nets`, if there is one.
#[inline(always)]
pub(crate) fn prefetch_ahead(nets: &[u32], i: usize, prefetch: impl FnOnce(u32)) {
    if let Some(&e) = nets.get(i + PREFETCH_NETS) {
        prefetch(e);
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HypergraphError {
    #[error("pin {pin} of net {net} is not below the vertex count {vertices}")]
    PinOutOfRange {
        net: usize,
        pin: u32,
        vertices: usize,
    },
    #[error("more than 2^32 - 1 pins or vertices")]
    TooLarge,
    #[error("net offsets must start at 0, never decrease and end at the pin count")]
    Offsets,
}

/// Vertices with weights (for balance) and nets with weights (for the cut).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hypergraph {
    vertex_weights: Vec<u64>,
    net_weights: Vec<u64>,
    net_offsets: Vec<u32>,
    pins: Vec<u32>,
    vertex_offsets: Vec<u32>,
    incident: Vec<u32>,
}

impl Hypergraph {
    /// Builds a hypergraph from nets given as CSR (`net_offsets` has one entry
    /// more than `net_weights`). Pins must be distinct within a net.
    pub fn new(
        vertex_weights: Vec<u64>,
        net_weights: Vec<u64>,
        net_offsets: Vec<u32>,
        pins: Vec<u32>,
    ) -> Result<Self, HypergraphError> {
        let n = vertex_weights.len();
        if u32::try_from(n).is_err() || u32::try_from(pins.len()).is_err() {
            return Err(HypergraphError::TooLarge);
        }
        let offsets_ok = net_offsets.len() == net_weights.len() + 1
            && net_offsets.first() == Some(&0)
            && net_offsets.last() == Some(&(pins.len() as u32))
            && net_offsets.windows(2).all(|w| w[0] <= w[1]);
        if !offsets_ok {
            return Err(HypergraphError::Offsets);
        }
        for net in 0..net_weights.len() {
            let range = net_offsets[net] as usize..net_offsets[net + 1] as usize;
            if let Some(&pin) = pins[range].iter().find(|&&p| p as usize >= n) {
                return Err(HypergraphError::PinOutOfRange {
                    net,
                    pin,
                    vertices: n,
                });
            }
        }
        Ok(Self::from_parts_unchecked(
            vertex_weights,
            net_weights,
            net_offsets,
            pins,
        ))
    }

    /// Builds the incidence arrays; callers guarantee pins < vertex count.
    pub(crate) fn from_parts_unchecked(
        vertex_weights: Vec<u64>,
        net_weights: Vec<u64>,
        net_offsets: Vec<u32>,
        pins: Vec<u32>,
    ) -> Self {
        let n = vertex_weights.len();
        let mut vertex_offsets = vec![0u32; n + 1];
        for &p in &pins {
            vertex_offsets[p as usize + 1] += 1;
        }
        for v in 0..n {
            vertex_offsets[v + 1] += vertex_offsets[v];
        }
        let mut fill = vertex_offsets.clone();
        let mut incident = vec![0u32; pins.len()];
        for net in 0..net_weights.len() {
            for &p in &pins[net_offsets[net] as usize..net_offsets[net + 1] as usize] {
                incident[fill[p as usize] as usize] = net as u32;
                fill[p as usize] += 1;
            }
        }
        Hypergraph {
            vertex_weights,
            net_weights,
            net_offsets,
            pins,
            vertex_offsets,
            incident,
        }
    }

    /// The delta-unfold hypergraph of a profile: a vertex per block (weight =
    /// heartbeats) and, for every block with a consumer in another block, the
    /// net {producer} ∪ consumers (weight = the producer's serialized size).
    pub fn from_profile(profile: &Profile) -> Self {
        let n = profile.block_count();
        // Count consumers per producer (transpose the consumer → producer CSR).
        let mut counts = vec![0u32; n];
        for consumer in 0..n {
            for &p in profile.producers_of(consumer) {
                if p as usize != consumer {
                    counts[p as usize] += 1;
                }
            }
        }
        let mut start = vec![0u32; n + 1];
        for p in 0..n {
            start[p + 1] = start[p] + counts[p] + u32::from(counts[p] > 0);
        }
        let mut pins = vec![0u32; start[n] as usize];
        let mut fill: Vec<u32> = start[..n].to_vec();
        for p in 0..n {
            if counts[p] > 0 {
                pins[fill[p] as usize] = p as u32;
                fill[p] += 1;
            }
        }
        for consumer in 0..n {
            for &p in profile.producers_of(consumer) {
                let p = p as usize;
                // Rows are visited in consumer order, so a duplicate within a
                // row lands right after its twin.
                if p != consumer && pins[fill[p] as usize - 1] != consumer as u32 {
                    pins[fill[p] as usize] = consumer as u32;
                    fill[p] += 1;
                }
            }
        }
        // Compact away slots left by duplicates and keep only real nets.
        let mut net_offsets = vec![0u32];
        let mut net_weights = Vec::new();
        let mut packed = Vec::with_capacity(pins.len());
        for p in 0..n {
            if counts[p] == 0 {
                continue;
            }
            packed.extend_from_slice(&pins[start[p] as usize..fill[p] as usize]);
            net_offsets.push(packed.len() as u32);
            net_weights.push(u64::from(profile.blocks()[p].size));
        }
        let weights = profile.blocks().iter().map(|b| b.heartbeats).collect();
        Self::from_parts_unchecked(weights, net_weights, net_offsets, packed)
    }

    pub fn vertex_count(&self) -> usize {
        self.vertex_weights.len()
    }

    pub fn net_count(&self) -> usize {
        self.net_weights.len()
    }

    pub fn pin_count(&self) -> usize {
        self.pins.len()
    }

    pub fn vertex_weight(&self, v: u32) -> u64 {
        self.vertex_weights[v as usize]
    }

    pub fn vertex_weights(&self) -> &[u64] {
        &self.vertex_weights
    }

    pub fn net_weight(&self, e: u32) -> u64 {
        self.net_weights[e as usize]
    }

    pub fn net_weights(&self) -> &[u64] {
        &self.net_weights
    }

    pub fn pins(&self, e: u32) -> &[u32] {
        &self.pins[self.net_offsets[e as usize] as usize..self.net_offsets[e as usize + 1] as usize]
    }

    /// Starts loading net `e`'s first pins and its weight.
    pub fn prefetch_net(&self, e: u32) {
        let start = self.net_offsets[e as usize] as usize;
        if let Some(pin) = self.pins.get(start) {
            ix_base::prefetch_read(pin);
        }
        self.prefetch_net_weight(e);
    }

    /// Starts loading net `e`'s weight.
    pub fn prefetch_net_weight(&self, e: u32) {
        ix_base::prefetch_read(&self.net_weights[e as usize]);
    }

    /// Starts loading where net `e`'s pins begin (and so its size).
    pub fn prefetch_net_offset(&self, e: u32) {
        ix_base::prefetch_read(&self.net_offsets[e as usize]);
    }

    pub fn net_size(&self, e: u32) -> usize {
        (self.net_offsets[e as usize + 1] - self.net_offsets[e as usize]) as usize
    }

    pub fn nets_of(&self, v: u32) -> &[u32] {
        &self.incident
            [self.vertex_offsets[v as usize] as usize..self.vertex_offsets[v as usize + 1] as usize]
    }

    pub fn total_vertex_weight(&self) -> u64 {
        self.vertex_weights.iter().sum()
    }

    /// The same hypergraph with other vertex weights (same length).
    pub fn with_vertex_weights(mut self, weights: Vec<u64>) -> Self {
        debug_assert_eq!(weights.len(), self.vertex_weights.len());
        self.vertex_weights = weights;
        self
    }

    /// The sub-hypergraph induced by the vertices with `side[v] == wanted`,
    /// with cut nets split (restricted to that side's pins; nets left with
    /// fewer than two pins dropped). Returns it and the kept vertices' old ids.
    pub fn extract_side(&self, side: &[u8], wanted: u8) -> (Hypergraph, Vec<u32>) {
        let mut new_id = vec![u32::MAX; self.vertex_count()];
        let mut old_ids = Vec::new();
        let mut weights = Vec::new();
        for v in 0..self.vertex_count() {
            if side[v] == wanted {
                new_id[v] = old_ids.len() as u32;
                old_ids.push(v as u32);
                weights.push(self.vertex_weights[v]);
            }
        }
        let mut net_offsets = vec![0u32];
        let mut net_weights = Vec::new();
        let mut pins = Vec::new();
        for e in 0..self.net_count() as u32 {
            let before = pins.len();
            pins.extend(
                self.pins(e)
                    .iter()
                    .map(|&p| new_id[p as usize])
                    .filter(|&p| p != u32::MAX),
            );
            if pins.len() - before < 2 {
                pins.truncate(before);
            } else {
                net_offsets.push(pins.len() as u32);
                net_weights.push(self.net_weights[e as usize]);
            }
        }
        (
            Self::from_parts_unchecked(weights, net_weights, net_offsets, pins),
            old_ids,
        )
    }
}

/// The delta-unfold hypergraph of a synthetic library of `blocks` blocks
/// (heavy-tailed weights, hub nets), for the partitioner's tests.
#[cfg(test)]
pub(crate) fn synthetic(blocks: usize) -> Hypergraph {
    let profile = ixesp::synth::generate(&ixesp::synth::Params {
        blocks,
        ..Default::default()
    });
    Hypergraph::from_profile(&profile)
}

/// `synthetic(blocks)` with every vertex weighing 1, so balance bounds are
/// vertex counts.
#[cfg(test)]
pub(crate) fn synthetic_unit(blocks: usize) -> Hypergraph {
    let h = synthetic(blocks);
    let n = h.vertex_count();
    h.with_vertex_weights(vec![1; n])
}

/// A hypergraph from its vertex weights and its nets as (weight, pins), for
/// tests that spell one out by hand.
#[cfg(test)]
pub(crate) fn from_nets(vertex_weights: &[u64], nets: &[(u64, &[u32])]) -> Hypergraph {
    let mut offsets = vec![0u32];
    let mut pins = Vec::new();
    for (_, net) in nets {
        pins.extend_from_slice(net);
        offsets.push(pins.len() as u32);
    }
    let weights = nets.iter().map(|(w, _)| *w).collect();
    Hypergraph::new(vertex_weights.to_vec(), weights, offsets, pins).expect("a valid hypergraph")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ixesp::Block;

    fn block(i: u8, heartbeats: u64, size: u32) -> Block {
        Block {
            address: [i; 32],
            heartbeats,
            size,
            constants: 1,
        }
    }

    #[test]
    fn profile_nets_are_producer_plus_consumers() {
        // 0 is unfolded by 1 and 2 (2 twice: duplicates are dropped); 1 by 2;
        // 3 unfolds itself only (an in-block edge): no net.
        let profile = Profile::from_rows(
            vec![
                block(1, 10, 100),
                block(2, 20, 200),
                block(3, 30, 300),
                block(4, 40, 400),
            ],
            &[vec![], vec![0], vec![0, 0, 1], vec![3]],
        )
        .unwrap();
        let h = Hypergraph::from_profile(&profile);
        assert_eq!(h.vertex_weights(), &[10, 20, 30, 40]);
        assert_eq!(h.net_count(), 2);
        assert_eq!(h.pins(0), &[0, 1, 2]);
        assert_eq!(h.net_weight(0), 100);
        assert_eq!(h.pins(1), &[1, 2]);
        assert_eq!(h.net_weight(1), 200);
        assert_eq!(h.nets_of(2), &[0, 1]);
        assert_eq!(h.nets_of(3), &[] as &[u32]);
    }

    #[test]
    fn extract_side_splits_cut_nets() {
        let h = from_nets(&[1, 2, 3, 4], &[(5, &[0, 1, 2]), (6, &[2, 3])]);
        let (left, ids) = h.extract_side(&[0, 0, 1, 1], 0);
        assert_eq!(ids, vec![0, 1]);
        assert_eq!(left.net_count(), 1);
        assert_eq!(left.pins(0), &[0, 1]);
        let (right, ids) = h.extract_side(&[0, 0, 1, 1], 1);
        assert_eq!(ids, vec![2, 3]);
        assert_eq!(right.net_weights(), &[6]);
        assert_eq!(right.vertex_weights(), &[3, 4]);
    }

    #[test]
    fn rejects_out_of_range_pins() {
        let err = Hypergraph::new(vec![1, 1], vec![1], vec![0, 2], vec![0, 2]).unwrap_err();
        assert_eq!(
            err,
            HypergraphError::PinOutOfRange {
                net: 0,
                pin: 2,
                vertices: 2
            }
        );
    }
}
