package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"lessonexport/fonts"
)

func unstable(ttf []byte, cut string, n int) bool {
	a := fpdf.UTF8CutFont(ttf, cut)
	for i := 0; i < n; i++ {
		if !bytes.Equal(a, fpdf.UTF8CutFont(ttf, cut)) {
			return true
		}
	}
	return false
}

func TestZZDet(t *testing.T) {
	cut := []rune("This is my ...Unit3MyFamily┌─┬┐│…├┼┤fatherpnsmocu爸妈父母表亲└┴┘func main(){\tfmt.Println(\"你好\")} ")
	seen := map[rune]bool{}
	var u []rune
	for _, r := range cut {
		if !seen[r] {
			seen[r] = true
			u = append(u, r)
		}
	}
	// remove runes while still unstable
	for i := 0; i < len(u); {
		try := append(append([]rune{}, u[:i]...), u[i+1:]...)
		if unstable(fonts.Mono(), string(try), 15) {
			u = try
		} else {
			i++
		}
	}
	fmt.Printf("minimal: %q\n", string(u))
	for _, r := range u {
		fmt.Printf("%U ", r)
	}
	fmt.Println()
}
