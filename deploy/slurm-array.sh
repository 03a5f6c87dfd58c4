#!/usr/bin/env bash
# Check every shard of an environment as one Slurm job array.
#
#   sbatch --array=0-$((N-1)) deploy/slurm-array.sh env.ixe env.ixes claims/
#
# Slurm sets SLURM_ARRAY_TASK_ID in each task; `ix check-shard` without
# --shard reads it and writes claims/shard-K.json. When the array is done:
#
#   ix verify-claims env.ixe env.ixes claims/
#
#SBATCH --job-name=ix-check-shards
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=ix-shard-%a.log
set -euo pipefail
env_file="${1:?usage: sbatch --array=0-N-1 slurm-array.sh ENV.ixe MANIFEST.ixes CLAIMS_DIR}"
manifest="${2:?missing MANIFEST.ixes}"
claims="${3:?missing CLAIMS_DIR}"
mkdir -p "$claims"
exec ix check-shard "$env_file" "$manifest" --claim-dir "$claims" -j "${SLURM_CPUS_PER_TASK:-1}"
