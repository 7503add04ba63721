/** The students' page script (tools/web/student.ts bundled for browsers), put in by tools/build.mjs. */
declare const STUDENT_JS: string;
