# Production on AWS (README: Deploying to AWS). Uses PY and STAMP from the main Makefile, web-build from mk/web.mk.
#   make package [STAGE=prod]                       build/<stage>/sam.json + deployment.zip (no AWS needed)
#   make deploy STAGE=prod SES_SENDER=you@example.com [DRY_RUN=1] [PARAMS="ApiRateLimit=100 ..."]
#   make admin STAGE=prod ADMIN_USERNAME=you@example.com
#   make smoke BASE_URL=http://127.0.0.1:8000 [ORIGIN=https://<site>]   read-only checks of a running API
#   make destroy STAGE=prod
STAGE ?= prod
DEPLOY_FLAGS = --stage $(STAGE) $(if $(AWS_REGION),--region $(AWS_REGION)) $(if $(DRY_RUN),--dry-run)

.PHONY: package deploy admin smoke destroy

package: $(STAMP)
	$(PY) -m infra.build --stage $(STAGE)

deploy: package web-build
	$(PY) -m scripts.deploy deploy $(DEPLOY_FLAGS) --sender "$(SES_SENDER)" $(foreach p,$(PARAMS),--parameter $(p))

admin: $(STAMP)
	$(PY) -m scripts.deploy admin $(DEPLOY_FLAGS) --username "$(ADMIN_USERNAME)"

smoke: $(STAMP)
	@test -n "$(BASE_URL)" || { echo "usage: make smoke BASE_URL=http://127.0.0.1:8000"; exit 2; }
	$(PY) -m scripts.smoke "$(BASE_URL)" $(if $(ORIGIN),--origin "$(ORIGIN)")

destroy: $(STAMP)
	$(PY) -m scripts.deploy destroy $(DEPLOY_FLAGS)
