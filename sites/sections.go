package sites

import "strings"

// Section is one of baolamdong.vn's sections: the slug its URLs and the
// index use, and the names a reader recognises.
type Section struct {
	Slug    string // chinh-tri
	Name    string // Chính trị, as the site's menu writes it
	English string // Politics
}

// Label is how the pages name a section: its Vietnamese name with the
// English one, or the slug itself when the table does not know it.
func (s Section) Label() string {
	switch {
	case s.Name == "":
		return s.Slug
	case s.English == "":
		return s.Name
	}
	return s.Name + " (" + s.English + ")"
}

// sections are the site's sections, in the order of its menu; slugs not
// listed (a section added later) are shown as they are.
var sections = []Section{
	{"chinh-tri", "Chính trị", "Politics"},
	{"xay-dung-dang", "Xây dựng Đảng", "Party building"},
	{"kinh-te", "Kinh tế", "Economy"},
	{"nong-nghiep", "Nông nghiệp", "Agriculture"},
	{"xa-hoi", "Xã hội", "Society"},
	{"giao-duc", "Giáo dục", "Education"},
	{"y-te", "Y tế", "Health"},
	{"van-hoa", "Văn hóa", "Culture"},
	{"du-lich", "Du lịch", "Tourism"},
	{"the-thao", "Thể thao", "Sports"},
	{"moi-truong", "Môi trường", "Environment"},
	{"phap-luat", "Pháp luật", "Law"},
	{"quoc-phong-an-ninh", "Quốc phòng - An ninh", "Defence and security"},
	{"khoa-hoc-cong-nghe", "Khoa học - Công nghệ", "Science and technology"},
	{"quoc-te", "Quốc tế", "World"},
	{"doi-song", "Đời sống", "Life"},
	{"ban-doc", "Bạn đọc", "Readers"},
}

// Sections returns the known sections in the site's menu order.
func Sections() []Section { return append([]Section(nil), sections...) }

// SectionOf describes a section slug (any case, spaces trimmed); an
// unknown slug is a Section with that slug and no names.
func SectionOf(slug string) Section {
	slug = strings.ToLower(strings.TrimSpace(slug))
	for _, s := range sections {
		if s.Slug == slug {
			return s
		}
	}
	return Section{Slug: slug}
}
