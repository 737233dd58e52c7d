package render

// labels are the words a document uses for its headings and field names.
type labels struct {
	subject, level, duration, classSize, teacher, school, date string
	textbook, unit, tags                                       string
	// listSep joins tags.
	listSep string
	// minutes formats a number of minutes in the info table.
	minutes func(n string) string
	// stageTime formats the timing that follows a stage's name.
	stageTime func(n string) string

	analysis, material, students                           string
	objectives, keyPoints, difficulties, materials         string
	vocabulary, grammar, procedure, boardDesign            string
	homework, assessment, reflection                       string
	term, partOfSpeech, phonetic, meaning, example         string
	interaction, teacherActivity, studentActivity, content string
	purpose                                                string
	// Column headers of the procedure and grammar tables.
	stage, time, interactionCol, teacherCol, studentsCol string
	contentCol, purposeCol, point, explanation, examples string
}

var english = labels{
	subject: "Subject", level: "Level", duration: "Duration", classSize: "Class size",
	teacher: "Teacher", school: "School", date: "Date", textbook: "Textbook",
	unit: "Unit", tags: "Tags",
	listSep:   ", ",
	minutes:   func(n string) string { return n + " min" },
	stageTime: func(n string) string { return " (" + n + " min)" },

	analysis: "Analysis", material: "Teaching material", students: "Students",
	objectives: "Objectives", keyPoints: "Key points", difficulties: "Difficulties",
	materials: "Materials", vocabulary: "Vocabulary", grammar: "Grammar",
	procedure: "Procedure", boardDesign: "Board design", homework: "Homework",
	assessment: "Assessment", reflection: "Reflection",
	term: "Term", partOfSpeech: "Part of speech", phonetic: "Phonetic",
	meaning: "Meaning", example: "Example",
	interaction: "Interaction:", teacherActivity: "Teacher:",
	studentActivity: "Students:", content: "Content:", purpose: "Purpose:",
	stage: "Stage", time: "Time", interactionCol: "Interaction",
	teacherCol: "Teacher activity", studentsCol: "Student activity", contentCol: "Content",
	purposeCol: "Purpose", point: "Point", explanation: "Explanation", examples: "Examples",
}

var chinese = labels{
	subject: "学科", level: "年级", duration: "课时", classSize: "班级人数",
	teacher: "授课教师", school: "学校", date: "日期", textbook: "教材",
	unit: "单元", tags: "标签",
	listSep:   "、",
	minutes:   func(n string) string { return n + "分钟" },
	stageTime: func(n string) string { return "（" + n + "分钟）" },

	analysis: "教学分析", material: "教材分析", students: "学情分析",
	objectives: "教学目标", keyPoints: "教学重点", difficulties: "教学难点",
	materials: "教学准备", vocabulary: "词汇", grammar: "语法",
	procedure: "教学过程", boardDesign: "板书设计", homework: "作业布置",
	assessment: "教学评价", reflection: "教学反思",
	term: "单词", partOfSpeech: "词性", phonetic: "音标", meaning: "词义", example: "例句",
	interaction: "互动方式：", teacherActivity: "教师活动：",
	studentActivity: "学生活动：", content: "教学内容：", purpose: "设计意图：",
	stage: "教学环节", time: "时间", interactionCol: "互动方式", teacherCol: "教师活动",
	studentsCol: "学生活动", contentCol: "教学内容", purposeCol: "设计意图",
	point: "语法点", explanation: "讲解", examples: "例句",
}
