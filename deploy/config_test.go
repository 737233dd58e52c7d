package deploy

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type ruleFile struct {
	Groups []struct {
		Name     string `yaml:"name"`
		Interval string `yaml:"interval"`
		Rules    []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert       string            `yaml:"alert"`
	Record      string            `yaml:"record"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
}

func rules(t *testing.T, path string) []rule {
	t.Helper()
	var f ruleFile
	readYAML(t, path, &f)
	var all []rule
	for _, g := range f.Groups {
		all = append(all, g.Rules...)
	}
	if len(all) == 0 {
		t.Fatalf("%s has no rules", path)
	}
	return all
}

// checkAlertMetadata asserts what every alert must carry for Alertmanager
// routing and for the person it reaches.
func checkAlertMetadata(t *testing.T, r rule) {
	t.Helper()
	if sev := r.Labels["severity"]; sev != "critical" && sev != "warning" {
		t.Errorf("%s: severity %q, want critical or warning", r.Alert, sev)
	}
	if r.Labels["service"] != "lessonexport" {
		t.Errorf("%s: service label %q, want lessonexport", r.Alert, r.Labels["service"])
	}
	for _, a := range []string{"summary", "description", "runbook"} {
		if strings.TrimSpace(r.Annotations[a]) == "" {
			t.Errorf("%s: no %s annotation", r.Alert, a)
		}
	}
}

func TestPrometheusRules(t *testing.T) {
	all := rules(t, "prometheus/rules/lessonexport.rules.yml")
	recorded := map[string]bool{}
	for _, r := range all {
		if r.Record != "" {
			recorded[r.Record] = true
		}
	}
	for _, r := range all {
		name := r.Alert + r.Record
		if (r.Alert == "") == (r.Record == "") {
			t.Errorf("rule %q must have exactly one of alert and record", name)
		}
		names, err := promqlMetricNames(r.Expr)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, m := range names {
			if !knownMetric(m) && !recorded[m] && m != "up" {
				t.Errorf("%s: expression uses unknown metric %s", name, m)
			}
		}
		if r.Alert != "" {
			checkAlertMetadata(t, r)
		}
	}
}

type promtoolTests struct {
	Tests []struct {
		AlertRuleTest []struct {
			Alertname string `yaml:"alertname"`
			ExpAlerts []any  `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

func TestEveryAlertIsTested(t *testing.T) {
	fires, silent := map[string]bool{}, map[string]bool{}
	for _, path := range globFiles(t, "prometheus/tests/*.test.yml") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f promtoolTests
		if err := yaml.Unmarshal(b, &f); err != nil {
			t.Fatalf("parse %s: %v", path, err)
		}
		for _, tc := range f.Tests {
			for _, at := range tc.AlertRuleTest {
				if len(at.ExpAlerts) > 0 {
					fires[at.Alertname] = true
				} else {
					silent[at.Alertname] = true
				}
			}
		}
	}
	for _, r := range rules(t, "prometheus/rules/lessonexport.rules.yml") {
		if r.Alert == "" {
			continue
		}
		if !fires[r.Alert] {
			t.Errorf("%s has no test case where it fires", r.Alert)
		}
		if !silent[r.Alert] {
			t.Errorf("%s has no test case where it stays silent", r.Alert)
		}
	}
}

// logEvents are the events the service logs; logLevels its levels.
var (
	logEvents = []string{
		"export_validation_failed", "export_timeout_queued", "export_task_failed",
		"slow_export_detected", "export_task_completed", "file_saved", "file_deleted",
		"files_cleaned", "disk_space_low", "streaming_export_started",
		"streaming_export_completed", "streaming_export_failed",
	}
	logLevels = []string{"CRITICAL", "ERROR", "WARNING", "INFO"}
)

var (
	// logqlAlertShape is the one shape the Loki alerts use: an aggregation,
	// optionally grouped, of a range function over a stream selector with a
	// pipeline, compared with a number.
	logqlAlertShape = regexp.MustCompile(`^(?:sum|count|max|min|avg)` +
		`(?: by \([a-z_]+(?:, [a-z_]+)*\))? ?\(` +
		`(?:count_over_time|rate|bytes_over_time|bytes_rate)` +
		`\(\{[a-z_]+(?:=|=~|!=|!~)"[^"]*"(?:, [a-z_]+(?:=|=~|!=|!~)"[^"]*")*\}` +
		`((?: \| [^|\[\]]+)+) \[[1-9][0-9]*[smhd]\]\)` +
		`\) (?:>|>=|<|<=|==|!=) [0-9]+(?:\.[0-9]+)?$`)
	logqlStage   = regexp.MustCompile(`^(?:json|logfmt|[a-z_]+ *(?:=|!=|=~|!~) *"[^"]*")$`)
	logqlLabelEq = regexp.MustCompile(`\b([a-z_]+) *(?:=|!=|=~|!~) *"([^"]*)"`)
)

func TestLokiRules(t *testing.T) {
	for _, r := range rules(t, "loki/rules/lessonexport.rules.yml") {
		if r.Alert == "" {
			t.Errorf("rule with expr %q has no alert name", r.Expr)
			continue
		}
		checkAlertMetadata(t, r)
		expr := strings.Join(strings.Fields(r.Expr), " ")
		expr = strings.ReplaceAll(strings.ReplaceAll(expr, "( ", "("), " )", ")")
		if err := balanced(expr); err != nil {
			t.Errorf("%s: %v", r.Alert, err)
			continue
		}
		m := logqlAlertShape.FindStringSubmatch(expr)
		if m == nil {
			t.Errorf("%s: expression does not have the expected LogQL shape: %s", r.Alert, expr)
			continue
		}
		if !strings.Contains(expr, `{service="lessonexport"}`) {
			t.Errorf("%s: expression does not select the service's streams", r.Alert)
		}
		stages := strings.Split(strings.TrimPrefix(m[1], " | "), " | ")
		if stages[0] != "json" {
			t.Errorf("%s: the pipeline must start with | json, not %q", r.Alert, stages[0])
		}
		filtersEvent := false
		for _, st := range stages {
			if !logqlStage.MatchString(st) {
				t.Errorf("%s: bad pipeline stage %q", r.Alert, st)
			}
			for _, lm := range logqlLabelEq.FindAllStringSubmatch(st, -1) {
				switch lm[1] {
				case "event":
					filtersEvent = true
					if !slices.Contains(logEvents, lm[2]) {
						t.Errorf("%s: unknown event %q", r.Alert, lm[2])
					}
				case "level":
					if !slices.Contains(logLevels, lm[2]) {
						t.Errorf("%s: unknown level %q", r.Alert, lm[2])
					}
				}
			}
		}
		if !filtersEvent && !strings.Contains(expr, "by (component, event)") {
			t.Errorf("%s: expression neither filters on an event nor groups by event", r.Alert)
		}
	}
}

type dashboardPanel struct {
	ID         int                `json:"id"`
	Type       string             `json:"type"`
	Title      string             `json:"title"`
	Datasource *datasourceRef     `json:"datasource"`
	GridPos    struct{ X, W int } `json:"gridPos"`
	Targets    []struct {
		Expr       string         `json:"expr"`
		Datasource *datasourceRef `json:"datasource"`
	} `json:"targets"`
	Panels []dashboardPanel `json:"panels"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

func TestGrafanaDashboard(t *testing.T) {
	var sources struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name      string         `yaml:"name"`
			UID       string         `yaml:"uid"`
			Type      string         `yaml:"type"`
			Access    string         `yaml:"access"`
			URL       string         `yaml:"url"`
			IsDefault bool           `yaml:"isDefault"`
			Editable  bool           `yaml:"editable"`
			JSONData  map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/datasources.yml", &sources)
	uids := map[string]string{}
	for _, ds := range sources.Datasources {
		uids[ds.UID] = ds.Type
	}

	b, err := os.ReadFile("grafana/dashboards/lessonexport.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string           `json:"uid"`
		Panels []dashboardPanel `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("parse dashboard: %v", err)
	}
	if dash.UID == "" {
		t.Error("dashboard has no uid")
	}
	ids := map[int]bool{}
	queries := 0
	var walk func(ps []dashboardPanel)
	walk = func(ps []dashboardPanel) {
		for _, p := range ps {
			if ids[p.ID] {
				t.Errorf("panel id %d is used twice", p.ID)
			}
			ids[p.ID] = true
			if p.GridPos.X < 0 || p.GridPos.W <= 0 || p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("panel %q lies outside the 24-column grid", p.Title)
			}
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no queries", p.Title)
			}
			for _, q := range p.Targets {
				ds := q.Datasource
				if ds == nil {
					ds = p.Datasource
				}
				if ds == nil || uids[ds.UID] == "" || uids[ds.UID] != ds.Type {
					t.Errorf("panel %q uses a data source that is not provisioned: %+v", p.Title, ds)
					continue
				}
				queries++
				if ds.Type == "loki" {
					if !strings.Contains(q.Expr, `{service="lessonexport"`) {
						t.Errorf("panel %q: Loki query does not select the service: %s",
							p.Title, q.Expr)
					}
					continue
				}
				names, err := promqlMetricNames(q.Expr)
				if err != nil {
					t.Errorf("panel %q: %v: %s", p.Title, err, q.Expr)
				}
				if len(names) == 0 {
					t.Errorf("panel %q: query selects no metric: %s", p.Title, q.Expr)
				}
				for _, m := range names {
					if !knownMetric(m) {
						t.Errorf("panel %q: unknown metric %s in %s", p.Title, m, q.Expr)
					}
				}
			}
		}
	}
	walk(dash.Panels)
	if queries < 15 {
		t.Errorf("dashboard has %d queries, expected the full set of panels", queries)
	}
}

func TestAlloyLabels(t *testing.T) {
	b, err := os.ReadFile("alloy/config.alloy")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)stage\.labels \{\s*values = \{(.*?)\}`).FindSubmatch(b)
	if block == nil {
		t.Fatal("alloy config has no stage.labels block")
	}
	keys := regexp.MustCompile(`(?m)^\s*([a-z_]+)\s*=`).FindAllSubmatch(block[1], -1)
	var got []string
	for _, k := range keys {
		got = append(got, string(k[1]))
	}
	slices.Sort(got)
	if want := []string{"component", "event", "level", "service"}; !slices.Equal(got, want) {
		t.Errorf("alloy turns %v into labels, want exactly %v", got, want)
	}
}

// configVars are the settings the service reads (see the README).
var configVars = []string{
	"LESSONEXPORT_ENV", "LESSONEXPORT_ADDR", "LESSONEXPORT_DATA_DIR",
	"LESSONEXPORT_JWT_SECRET", "LESSONEXPORT_TEMPORAL_ADDRESS",
	"LESSONEXPORT_TEMPORAL_NAMESPACE", "LESSONEXPORT_MAX_CONCURRENT_EXPORTS",
	"LESSONEXPORT_MAX_FILE_BYTES", "LESSONEXPORT_MAX_BODY_BYTES",
	"LESSONEXPORT_METRICS_ADDR", "LESSONEXPORT_SHUTDOWN_TIMEOUT", "LESSONEXPORT_TEMPORAL_CLI",
}

func TestComposeFile(t *testing.T) {
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
			Deploy      struct {
				Replicas int `yaml:"replicas"`
			} `yaml:"deploy"`
		} `yaml:"services"`
	}
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("parse docker-compose.yml: %v", err)
	}
	for _, name := range []string{"postgresql", "temporal", "temporal-ui", "web", "worker",
		"prometheus", "alertmanager", "grafana", "loki", "alloy"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("docker-compose.yml has no %s service", name)
		}
	}
	web, worker := c.Services["web"], c.Services["worker"]
	if !slices.Equal(web.Command, []string{"web"}) ||
		!slices.Equal(worker.Command, []string{"worker"}) {
		t.Errorf("web and worker run %v and %v", web.Command, worker.Command)
	}
	if worker.Deploy.Replicas != 2 {
		t.Errorf("worker replicas = %d, want 2", worker.Deploy.Replicas)
	}
	dataVolume := func(vols []string) string {
		for _, v := range vols {
			if strings.HasSuffix(v, ":/data") {
				return v
			}
		}
		return ""
	}
	if v := dataVolume(web.Volumes); v == "" || v != dataVolume(worker.Volumes) {
		t.Errorf("web and worker do not share the /data volume: %v, %v", web.Volumes, worker.Volumes)
	}
	for _, svc := range []string{"web", "worker"} {
		env := c.Services[svc].Environment
		for k := range env {
			if strings.HasPrefix(k, "LESSONEXPORT_") && !slices.Contains(configVars, k) {
				t.Errorf("%s sets %s, which the service does not read", svc, k)
			}
		}
		if env["LESSONEXPORT_DATA_DIR"] != "/data" ||
			env["LESSONEXPORT_TEMPORAL_ADDRESS"] != "temporal:7233" {
			t.Errorf("%s: data folder %q, Temporal %q", svc,
				env["LESSONEXPORT_DATA_DIR"], env["LESSONEXPORT_TEMPORAL_ADDRESS"])
		}
	}
	if !strings.HasPrefix(web.Environment["LESSONEXPORT_ADDR"], "0.0.0.0:8080") {
		t.Errorf("web listens on %q; Prometheus scrapes web:8080", web.Environment["LESSONEXPORT_ADDR"])
	}
	if worker.Environment["LESSONEXPORT_METRICS_ADDR"] != "0.0.0.0:9464" {
		t.Errorf("worker metrics on %q; Prometheus scrapes port 9464",
			worker.Environment["LESSONEXPORT_METRICS_ADDR"])
	}
}
