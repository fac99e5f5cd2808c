export default async function* words({ text }) {
  for (const word of String(text).split(" ")) yield `${word} `;
}
