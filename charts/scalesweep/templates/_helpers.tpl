{{- define "scalesweep.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "scalesweep.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "scalesweep.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* <registry>/<repository>:<tag>, or <repository>:<tag> without a registry. */}}
{{- define "scalesweep.image" -}}
{{- if .registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" (toString .registry)) .repository (toString .tag) -}}
{{- else -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
{{- end -}}

{{- define "scalesweep.operatorImage" -}}
{{- include "scalesweep.image" (dict "registry" .Values.image.registry "repository" .Values.image.repository "tag" (.Values.image.tag | default .Chart.AppVersion)) -}}
{{- end -}}

{{/* The trainer image shares the operator's registry and tag unless trainerImage sets its own. */}}
{{- define "scalesweep.trainerImage" -}}
{{- $t := .Values.trainerImage -}}
{{- include "scalesweep.image" (dict "registry" ($t.registry | default .Values.image.registry) "repository" $t.repository "tag" ($t.tag | default .Values.image.tag | default .Chart.AppVersion)) -}}
{{- end -}}

{{/* The CUDA trainer image for trials with GPUs; empty unless trainerImage.gpuTag is set. */}}
{{- define "scalesweep.trainerGpuImage" -}}
{{- $t := .Values.trainerImage -}}
{{- if $t.gpuTag -}}
{{- include "scalesweep.image" (dict "registry" ($t.registry | default .Values.image.registry) "repository" ($t.gpuRepository | default $t.repository) "tag" $t.gpuTag) -}}
{{- end -}}
{{- end -}}
