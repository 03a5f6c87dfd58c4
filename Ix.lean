import Ix.KernelCheck
import Ix.Cli.Args
import Ix.Cli.ProfileCmd
import Ix.Cli.ShardCmd
import Ix.Cli.CheckCmd
