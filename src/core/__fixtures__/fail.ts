export default function fail({ message }: { message: string }): never {
  throw new TypeError(message);
}
