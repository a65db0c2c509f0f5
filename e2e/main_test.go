package e2e

import (
	"os"
	"testing"
)

var tempDirs []string

// tempDir makes a directory removed when the test binary ends; the
// shared world outlives any one test's t.TempDir.
func tempDir() string {
	d, err := os.MkdirTemp("", "baoscope-e2e-")
	if err != nil {
		panic(err)
	}
	tempDirs = append(tempDirs, d)
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	theWorld.close()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
