// Package sites knows the URL shapes and conventions of the two real sites
// baoscope reads: baolamdong.vn, where the originals are published, and
// www.vietnam.vn, which republishes them machine-translated.
//
// The crawler uses it to recognise article URLs and to build translation
// candidates; the extractor uses it to read the source line that links a
// translation to its original; the sample site uses it to mirror both.
// Keeping these rules in one place means the mirror and the crawler cannot
// drift apart silently.
package sites
