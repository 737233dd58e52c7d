package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"lessonexport/fonts"
)

func unstable(ttf []byte, cut string) bool {
	a := fpdf.UTF8CutFont(ttf, cut)
	for i := 0; i < 30; i++ {
		if !bytes.Equal(a, fpdf.UTF8CutFont(ttf, cut)) {
			return true
		}
	}
	return false
}

func TestZZDet(t *testing.T) {
	cut := []rune("This is my ...Unit3MyFamily┌─┬┐│…├┼┤fatherpnsmocu爸妈父母表亲└┴┘func main(){\tfmt.Println(\"你好\")} ")
	for _, r := range cut {
		if unstable(fonts.Mono(), string(r)) {
			fmt.Printf("unstable alone: %q\n", r)
		}
	}
	for _, s := range []string{"a", "ab", "abc", "中文", "Hello", "你好"} {
		fmt.Println(s, unstable(fonts.Sans(), s), unstable(fonts.Mono(), s), unstable(fonts.FallbackFace.TTF(), s))
	}
}
