# 0.3 made the submodules siblings: the Autoscaler's role moved out of the
# cluster-autoscaler submodule into its own call of irsa-role. These keep
# existing state in place (no destroy and re-create of the role).
moved {
  from = module.cluster_autoscaler[0].module.irsa_role
  to   = module.cluster_autoscaler_role[0]
}
