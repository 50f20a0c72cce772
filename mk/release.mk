# Releases (tools/release): region-by-region waves, a CodeDeploy canary in each region, rollback on alarms.
# The offline drill runs on the local multi-region lab (devtools/lab/release_drill.py).
BAKE_MINUTES ?= 30

release: $(STAMP) swagger package ## build the tree's release and roll it out: WAVES="r1;r2,r3" BAKE_MINUTES=30 [RESUME=1] (needs AWS credentials + terraform)
	$(PY) -m tools.release --regions $(REGIONS) $(if $(WAVES),--waves "$(WAVES)") --bake-minutes $(BAKE_MINUTES) $(if $(RESUME),--resume)

release-drill: $(STAMP) package ## offline: a good release through every wave, a broken one stopped and rolled back in the first (local stack)
	$(PY) -m devtools.lab.release_drill --regions $(if $(filter command line,$(origin REGIONS)),$(REGIONS),us-east-1,us-east-2,us-west-2)

.PHONY: release release-drill
