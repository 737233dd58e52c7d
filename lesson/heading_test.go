package lesson

import "testing"

func TestHeadingKey(t *testing.T) {
	tests := []struct{ heading, key string }{
		{"Objectives", keyObjectives},
		{"Learning objectives:", keyObjectives},
		{"一、教学目标", keyObjectives},
		{"（一）学习目标：", keyObjectives},
		{"Part 1: Teaching Objectives", keyObjectives},
		{"教学目标 Teaching objectives", keyObjectives},
		{"Aims（教学目标）", keyObjectives},
		{"2. Teaching focus", keyKeyPoints},
		{"重点", keyKeyPoints},
		{"Teaching difficulties", keyDifficulties},
		{"教具准备", keyMaterials},
		{"Resources", keyMaterials},
		{"生词", keyVocabulary},
		{"Key words", keyVocabulary},
		{"语法要点", keyGrammar},
		{"Teaching steps", keyProcedure},
		{"教学环节（45分钟）", keyProcedure},
		{"Blackboard design", keyBoardDesign},
		{"板书", keyBoardDesign},
		{"课后作业", keyHomework},
		{"Assignment", keyHomework},
		{"Evaluation", keyAssessment},
		{"Notes after the lesson", keyReflection},
		{"教学反思", keyReflection},
		{"Analysis of teaching material", keyMaterialAn},
		{"学情分析", keyStudentsAn},
		{"教学分析", keyAnalysis},
		{"Warm feelings", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := headingKey(tc.heading, headingAliases); got != tc.key {
			t.Errorf("headingKey(%q) = %q, want %q", tc.heading, got, tc.key)
		}
	}
}

func TestStripInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**Bold** heading", "Bold heading"},
		{"*Lead-in* (5 min)", "Lead-in (5 min)"},
		{"Use `will` here", "Use will here"},
		{"See [the map](http://x/y) now", "See the map now"},
		{"snake_case stays", "snake_case stays"},
		{`5 \* 3 \_x\_`, "5 * 3 _x_"},
		{"a <em>b</em> ~~c~~", "a b c"},
		{"1\\. Intro", "1. Intro"},
	}
	for _, tc := range tests {
		if got := stripInline(tc.in); got != tc.want {
			t.Errorf("stripInline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCutTiming(t *testing.T) {
	tests := []struct {
		in, name string
		minutes  int
	}{
		{"Lead-in (5 minutes)", "Lead-in", 5},
		{"Lead-in (1 minute)", "Lead-in", 1},
		{"Gist (10 min)", "Gist", 10},
		{"Gist (10 mins)", "Gist", 10},
		{"热身（5分钟）", "热身", 5},
		{"热身 (5 分钟)", "热身", 5},
		{"Wrap-up - 5'", "Wrap-up", 5},
		{"Wrap-up 5′", "Wrap-up", 5},
		{"Practice [about 8 min]", "Practice", 8},
		{"Step 2", "Step 2", -1},
		{"Too long (700 minutes)", "Too long (700 minutes)", -1},
	}
	for _, tc := range tests {
		name, m := cutTiming(tc.in)
		if name != tc.name || m != tc.minutes {
			t.Errorf("cutTiming(%q) = %q, %d, want %q, %d", tc.in, name, m, tc.name, tc.minutes)
		}
	}
}
