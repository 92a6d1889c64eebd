{{/*
What each role runs: `python -m <module> <args>`, as `make up` starts it
(deploy/local/trellis_local/stack.py; a test keeps the two the same).
*/}}
{{- define "trellis.roleTable" -}}
gateway: {module: trellis_gateway, args: [], kind: gateway}
identity-api: {module: trellis_identity, args: [api], kind: api, service: identity}
identity-relay: {module: trellis_identity, args: [relay], kind: relay, service: identity}
planning-api: {module: trellis_planning, args: [api], kind: api, service: planning}
planning-relay: {module: trellis_planning, args: [relay], kind: relay, service: planning}
portal-api: {module: trellis_portal, args: [api], kind: api, service: portal}
portal-relay: {module: trellis_portal, args: [relay], kind: relay, service: portal}
portal-consumers: {module: trellis_portal, args: [consumers], kind: consumers, service: portal}
budget-api: {module: trellis_budget, args: [api], kind: api, service: budget}
budget-relay: {module: trellis_budget, args: [relay], kind: relay, service: budget}
budget-consumers: {module: trellis_budget, args: [consumers], kind: consumers, service: budget}
risk-api: {module: trellis_risk, args: [api], kind: api, service: risk}
analytics-api: {module: trellis_analytics, args: [api], kind: api, service: analytics}
{{- end -}}

{{/* The services the gateway routes to, each at /api/<service>. */}}
{{- define "trellis.routedServices" -}}
[identity, planning, portal, budget, risk, analytics]
{{- end -}}

{{- define "trellis.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A role's resource name: <fullname>-<role> (a DNS label, at most 63 characters). */}}
{{- define "trellis.roleName" -}}
{{- printf "%s-%s" (include "trellis.fullname" .root) .role -}}
{{- end -}}

{{- define "trellis.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "trellis.labels" -}}
{{ include "trellis.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "trellis.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* An HTTP role inside the cluster, e.g. http://trellis-identity-api:8000. */}}
{{- define "trellis.roleUrl" -}}
{{- printf "http://%s:%v" (include "trellis.roleName" .) .root.Values.httpPort -}}
{{- end -}}
